import type { Dialogue } from '../domain/goalDialogue';
import type { DialogueOverview, ParticipantRow } from '../domain/goalDialogueManagement';
import type { StartProblem } from '../domain/goalDialogueService';
import type { SchoolGoal } from '../domain/schoolGoals';
import type { Language, Strings } from '../i18n';
import { localDateOf } from '../time';
import {
  type DialogueStartCardData,
  type DialogueStatusCardData,
  renderDialogueStartCard,
  renderDialogueStatusCard,
  renderGoalPromptCard,
  renderPrincipalOverviewCard,
} from './goals';
import { dialogueTitle, formatDate, numberedGoals, stringsForDialogue } from './goalViews';
import type { AdaptiveCard } from './render';

/**
 * The principal's cards for running dialogues (the start form, the
 * channel's status card, the overview with its confirmations and reminders,
 * the start form's answer) and what the principal's actions send a
 * teacher. Names appear only on cards for the principal; goal text not at
 * all.
 */

export interface StartFormValues {
  title: string;
  goalIds: string[];
  deadline: string;
  participantMode: 'everyone' | 'chosen';
  participantIds: string[];
  reminders: boolean;
}

export function dialogueStartCard(
  strings: Strings,
  school: { id: string; name: string },
  goals: SchoolGoal[],
  members: { aadObjectId: string; name: string }[],
  values: StartFormValues,
  minDeadline: string,
  problems: StartProblem[] = [],
  formId = '',
  openDialogues: string[] = [],
): AdaptiveCard {
  strings = stringsForDialogue(strings, { schoolId: school.id });
  const form = strings.goals.startForm;
  const data: DialogueStartCardData = {
    title: form.title,
    intro: form.intro(school.name),
    errorHeading: strings.goals.validation.heading,
    errors: problems.map((problem) => strings.goals.validation[problem]),
    warning: openDialogues.length > 0 ? form.alreadyOpen(openDialogues.join(', ')) : '',
    labels: {
      title: form.titleLabel,
      titleError: strings.goals.validation.title,
      goals: form.goalsLabel,
      deadline: form.deadlineLabel,
      deadlineError: strings.goals.validation.deadline,
      participants: form.participantsLabel,
      everyone: form.everyone,
      chosen: form.chosen,
      choose: form.chooseLabel,
      reminders: form.remindersLabel,
      submit: form.submit,
    },
    values: {
      title: values.title,
      goalIds: values.goalIds.join(','),
      deadline: values.deadline,
      minDeadline,
      participantMode: values.participantMode,
      participantIds: values.participantIds.join(','),
      reminders: values.reminders ? 'true' : 'false',
    },
    goals: goals.map((goal) => ({ title: goal.title, value: goal.id })),
    members: members.map((member) => ({ title: member.name, value: member.aadObjectId })),
    schoolId: school.id,
    formId,
  };
  return renderDialogueStartCard(data);
}

export interface StatusCounts {
  total: number;
  done: number;
  inProgress: number;
  notReached: Record<string, number>;
}

export function dialogueStatusCard(strings: Strings, language: 'sv' | 'en', dialogue: Dialogue, counts: StatusCounts): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const status = strings.goals.status;
  const notReachedTotal = Object.values(counts.notReached).reduce((sum, n) => sum + n, 0);
  const details: string[] = [];
  if (counts.inProgress > 0) details.push(status.inProgress(counts.inProgress));
  if (notReachedTotal > 0) {
    const reasons = Object.entries(counts.notReached)
      .map(([reason, n]) => `${n} ${status.reasons[reason] ?? status.reasons.other}`)
      .join(', ');
    details.push(`${status.notReached(notReachedTotal)}: ${reasons}`);
  }
  const data: DialogueStatusCardData = {
    title: status.title(dialogueTitle(strings, dialogue)),
    deadline: status.deadline(formatDate(dialogue.deadline, language)),
    progress: status.progress(counts.done, counts.total),
    details,
    closed: dialogue.status === 'closed',
    closedText: status.closed,
    note: '',
    privacy: status.privacy,
  };
  return renderDialogueStatusCard(data);
}

/** A day the Swedish way, with its weekday and without the year: "tisdag 1 september". */
export function formatDay(isoDate: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T12:00:00Z`),
  );
}

export interface OverviewOptions {
  /** Now and the school's time zone: the days of confirmations, and whether a reminder went today. */
  now: Date;
  timeZone: string;
  /** What the last action did, said at the top. */
  notice?: string;
  /** The dialogue the principal pressed close on, with the numbers to confirm. */
  closing?: { dialogueId: string; total: number; unfinished: number };
}

export function principalOverviewCard(strings: Strings, language: Language, entries: DialogueOverview[], options: OverviewOptions): AdaptiveCard {
  const principal = strings.goals.principal;
  const today = localDateOf(options.now, options.timeZone);
  const { closing } = options;
  return renderPrincipalOverviewCard({
    title: principal.title,
    notice: options.notice ?? '',
    empty: principal.empty,
    dialogues: entries.map(({ dialogue, done, participants }) => {
      const open = dialogue.status === 'open';
      const asked = open && closing?.dialogueId === dialogue.id ? closing : undefined;
      return {
        title: dialogueTitle(strings, dialogue),
        subtitle: principal.subtitle(
          strings.goals.status.progress(done, dialogue.participants.length),
          strings.goals.status.deadline(formatDate(dialogue.deadline, language)),
          !open,
        ),
        open,
        confirmClose: asked ? principal.closeQuestion(asked.unfinished, asked.total) : '',
        closeNote: asked && asked.unfinished > 0 ? principal.closeNote : '',
        dialogueId: dialogue.id,
        participants: participants.map((row) => ({
          name: row.person.name,
          state: stateLine(strings, language, row, options.timeZone, today),
          talk: row.talkHeldOn ? principal.talkOn(formatDay(row.talkHeldOn, language)) : '',
          canRemind: open && mayRemind(row, today),
          aadObjectId: row.person.aadObjectId,
          dialogueId: dialogue.id,
        })),
      };
    }),
    labels: {
      open: principal.open,
      close: principal.close,
      closeYes: principal.closeYes,
      cancel: principal.cancel,
      reopen: principal.reopen,
      remind: principal.remind,
    },
  });
}

/** Someone started or not who has not finished, and has not been reminded today. */
function mayRemind(row: ParticipantRow, today: string): boolean {
  const { participation } = row;
  return (row.state === 'not-started' || row.state === 'in-progress') && participation !== undefined && participation.remindedOn !== today;
}

/** "Klart, bekräftat tisdag 1 september", "Påbörjat sedan måndag 31 augusti · Påmind i dag", "Inte påbörjat". */
function stateLine(strings: Strings, language: Language, row: ParticipantRow, timeZone: string, today: string): string {
  const principal = strings.goals.principal;
  const { participation } = row;
  const day = (at: string) => formatDay(localDateOf(new Date(at), timeZone), language);
  let line = principal.states[row.state] ?? row.state;
  if ((row.state === 'done' || row.state === 'late') && participation?.confirmedAt) line += `, ${principal.confirmedOn(day(participation.confirmedAt))}`;
  if (row.state === 'in-progress' && participation?.startedAt) line += ` ${principal.startedOn(day(participation.startedAt))}`;
  if (participation?.remindedOn === today && row.state !== 'done' && row.state !== 'late') line += ` · ${principal.remindedToday}`;
  return line;
}

/** What replaces the start form: the dialogue is started, and its status card is a post of its own in the channel. */
export function dialogueStartedCard(strings: Strings, language: Language, dialogue: Dialogue): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const status = strings.goals.status;
  return renderDialogueStatusCard({
    title: status.title(dialogueTitle(strings, dialogue)),
    deadline: status.deadline(formatDate(dialogue.deadline, language)),
    progress: '',
    details: [],
    closed: false,
    closedText: status.closed,
    note: strings.goals.startForm.startedHere,
    privacy: status.privacy,
  });
}

/** The principal's own reminder to one teacher: the invitation's card with the principal's words. */
export function goalNudgeCard(strings: Strings, language: Language, dialogue: Dialogue, today: string, overarching: Map<string, string>): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const prompt = strings.goals.prompt;
  return renderGoalPromptCard({
    greeting: strings.goals.reminder.title(dialogueTitle(strings, dialogue)),
    body: strings.goals.notices.nudge(dialogue.principal.name, formatDate(dialogue.deadline, language), today > dialogue.deadline),
    focus: '',
    goalsHeading: prompt.schoolGoals,
    goals: numberedGoals(strings, dialogue, overarching),
    later: strings.goals.reminder.continue,
    startLabel: prompt.start,
    dialogueId: dialogue.id,
  });
}
