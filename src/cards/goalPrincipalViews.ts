import type { Dialogue } from '../domain/goalDialogue';
import type { DialogueOverview, ParticipantRow } from '../domain/goalDialogueManagement';
import type { Language, Strings } from '../i18n';
import { localDateOf } from '../time';
import { renderDialogueStatusCard, renderGoalPromptCard, renderPrincipalOverviewCard } from './goals';
import { dialogueTitle, formatDate, numberedGoals, stringsForDialogue } from './goalViews';
import type { AdaptiveCard } from './render';

/**
 * The principal's cards for running dialogues (the overview with its
 * confirmations and reminders, the start form's answer) and what the
 * principal's actions send a teacher. Names appear only on cards for the
 * principal; goal text not at all.
 */

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
