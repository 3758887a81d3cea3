import type { Dialogue, GoalDraft, GoalStep, Participation } from '../domain/goalDialogue';
import { GOAL_STEPS, MAX_ANSWER_CHARS, MAX_GOALS } from '../domain/goalDialogue';
import type { ParticipantState } from '../domain/goalDialogue';
import type { TalkNotes } from '../domain/goalDialogueRepository';
import type { SchoolGoal } from '../domain/schoolGoals';
import { type Strings, stringsForLevel } from '../i18n';
import { dialogueLevel } from '../domain/organisation';
import {
  type GoalPromptCardData,
  type GoalQuestionCardData,
  type GoalSummaryCardData,
  renderGoalPromptCard,
  renderGoalQuestionCard,
  renderGoalSummaryCard,
  renderMyGoalsCard,
  renderParticipantGoalsCard,
  renderSchoolGoalsCard,
  type ReadGoal,
} from './goals';
import { noAccidentalList, numbered } from './markdown';
import { type AdaptiveCard, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * From the domain to the cards of the goal dialogue, in one language.
 * Goal text appears only on cards for the teacher and the principal.
 */

/** The strings of the dialogue's level: the principals' målsamtal speaks of the school's goals and the overarching goals. */
export function stringsForDialogue(strings: Strings, dialogue: Pick<Dialogue, 'schoolId'>): Strings {
  return stringsForLevel(strings, dialogueLevel(dialogue));
}

export function formatDate(isoDate: string, language: 'sv' | 'en'): string {
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T12:00:00Z`),
  );
}

/** A dialogue's title in the reader's language: the suggested term title translated, a written one as written. */
export function dialogueTitle(strings: Strings, dialogue: Pick<Dialogue, 'title' | 'term'>): string {
  return dialogue.term ? strings.goals.defaultTitle(dialogue.term.term, dialogue.term.year) : dialogue.title;
}

function servesText(strings: Strings, overarching: Map<string, string>, serves: string[]): string {
  const titles = serves.map((id) => overarching.get(id) ?? id);
  return titles.length > 0 ? strings.goals.prompt.serves(titles.join('; ')) : '';
}

/** The school's fokusområde as the dialogue carries it, one line for the teacher; empty when none. */
function focusLine(strings: Strings, dialogue: Dialogue): string {
  const focus = dialogue.focusArea;
  return focus ? strings.focus.teacherLine(noAccidentalList(focus.title), noAccidentalList(focus.why)) : '';
}

export function numberedGoals(strings: Strings, dialogue: Dialogue, overarching: Map<string, string>): GoalPromptCardData['goals'] {
  return dialogue.schoolGoals.map((goal, index) => ({ title: numbered(index + 1, goal.title), serves: servesText(strings, overarching, goal.serves) }));
}

export function goalPromptCard(
  strings: Strings,
  language: 'sv' | 'en',
  dialogue: Dialogue,
  teacher: { name: string; givenName?: string },
  overarching: Map<string, string>,
): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const prompt = strings.goals.prompt;
  const data: GoalPromptCardData = {
    greeting: prompt.greeting(teacher.givenName || teacher.name.split(' ')[0] || teacher.name),
    body: prompt.body(dialogue.principal.name, dialogueTitle(strings, dialogue), formatDate(dialogue.deadline, language)),
    focus: focusLine(strings, dialogue),
    goalsHeading: prompt.schoolGoals,
    goals: numberedGoals(strings, dialogue, overarching),
    later: prompt.later,
    startLabel: prompt.start,
    dialogueId: dialogue.id,
  };
  return renderGoalPromptCard(data);
}

/** The reminder to a teacher who has not confirmed goals yet: the invitation's card with a reminder's words. */
export function goalReminderCard(
  strings: Strings,
  language: 'sv' | 'en',
  dialogue: Dialogue,
  daysLeft: number,
  overarching: Map<string, string>,
): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const reminder = strings.goals.reminder;
  const prompt = strings.goals.prompt;
  return renderGoalPromptCard({
    greeting: reminder.title(dialogueTitle(strings, dialogue)),
    body: reminder.body(dialogue.principal.name, formatDate(dialogue.deadline, language), daysLeft),
    focus: focusLine(strings, dialogue),
    goalsHeading: prompt.schoolGoals,
    goals: numberedGoals(strings, dialogue, overarching),
    later: reminder.continue,
    startLabel: prompt.start,
    dialogueId: dialogue.id,
  });
}

export function goalQuestionCard(
  strings: Strings,
  dialogue: Dialogue,
  participation: Participation,
  goalIndex: number,
  step: GoalStep,
  followUp: boolean,
  error = '',
): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const goals = strings.goals;
  const draft: GoalDraft | undefined = participation.goals[goalIndex];
  const isChoice = step === 'schoolGoals';
  const current = isChoice ? (draft?.schoolGoalIds ?? []).join(',') : (draft?.[step] ?? '');
  const data: GoalQuestionCardData = {
    stepLabel: goals.stepLabel(goalIndex + 1, GOAL_STEPS.indexOf(step) + 1),
    question: goals.steps[step],
    followUp: followUp ? goals.followUps[step] : '',
    soFar: followUp && current ? goals.soFar(noAccidentalList(current)) : '',
    hint: isChoice ? `${goals.choiceHint} ${goals.typeHint}` : goals.typeHint,
    isChoice,
    // A follow-up may be left empty (the first answer stands), and so may the support.
    isRequired: isChoice || (!followUp && step !== 'support'),
    requiredMessage: isChoice ? goals.required.schoolGoals : goals.required.text,
    error,
    choices: dialogue.schoolGoals.map((goal, index) => ({ title: `${index + 1}. ${goal.title}`, value: goal.id })),
    // After a follow-up the field starts empty: what is typed is added to the first answer, shown above it.
    value: followUp ? '' : current,
    placeholder: followUp ? goals.followUpPlaceholder : goals.answerPlaceholder,
    maxLength: MAX_ANSWER_CHARS,
    labels: { save: goals.save, back: goals.back, pause: goals.pause },
    dialogueId: dialogue.id,
    version: participation.versions,
    goalIndex,
    step,
  };
  return renderGoalQuestionCard(data);
}

/** The step as plain text, for a teacher who types rather than uses the card. */
export function goalQuestionText(strings: Strings, dialogue: Dialogue, step: GoalStep, followUp: boolean): string {
  strings = stringsForDialogue(strings, dialogue);
  if (followUp) return strings.goals.followUps[step];
  if (step !== 'schoolGoals') return strings.goals.steps[step];
  const list = dialogue.schoolGoals.map((goal, index) => numbered(index + 1, goal.title)).join('\n');
  return `${strings.goals.steps.schoolGoals}\n\n${list}\n\n${strings.goals.choiceHint}`;
}

/** How much of a part the goal summary shows before "Visa allt": about a line and a half on a phone; the goal itself, twice that. */
export const SUMMARY_SHORT_CHARS = 60;
const SUMMARY_GOAL_CHARS = 2 * SUMMARY_SHORT_CHARS;

/**
 * The teacher's goals to read through before confirming, compact enough for
 * a phone: each goal a short block (long parts cut at a word, "Visa allt"
 * shows them whole), one "Ändra mål N" that opens the choice of part, and
 * "Bekräfta" at the bottom, after everything it confirms.
 */
export function goalSummaryCard(
  strings: Strings,
  dialogue: Dialogue,
  goals: GoalDraft[],
  options: { title?: string; readOnly: boolean; intro?: string; version?: number; cascadeFocus?: { line: string; editLabel: string } },
): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const summary = strings.goals.summary;
  const titles = new Map(dialogue.schoolGoals.map((goal, index) => [goal.id, numbered(index + 1, goal.title)]));
  const data: GoalSummaryCardData = {
    title: options.title ?? summary.title,
    intro: options.intro ?? (options.readOnly ? '' : summary.intro),
    // A principal's summary one level up: the fokusområde proposed for the school, with its button.
    focus: options.cascadeFocus ? options.cascadeFocus.line : focusLine(strings, dialogue),
    focusEdit: options.cascadeFocus?.editLabel ?? '',
    goals: goals.map((goal, goalIndex) => {
      const parts = GOAL_STEPS.map((step) => {
        const text = stepText(strings, goal, step, titles, '\n');
        const room = step === 'goal' ? SUMMARY_GOAL_CHARS : SUMMARY_SHORT_CHARS;
        return { label: summary.labels[step], text, short: shortened(stepText(strings, goal, step, titles, '; '), room), step, goalIndex };
      });
      return {
        heading: summary.goal(goalIndex + 1),
        index: goalIndex,
        editLabel: summary.editGoal(goalIndex + 1),
        truncated: parts.some((part) => part.short !== part.text),
        parts,
      };
    }),
    readOnly: options.readOnly,
    canAdd: goals.length < MAX_GOALS,
    canRemove: goals.length > 1,
    labels: { whichPart: summary.whichPart, showAll: summary.showAll, remove: summary.remove, addGoal: summary.addGoal, confirm: summary.confirm },
    dialogueId: dialogue.id,
    version: options.version ?? 0,
  };
  return renderGoalSummaryCard(data);
}

/** A part's short form: at most `room` characters cut at a word, on one paragraph, with "…". */
function shortened(text: string, room: number): string {
  const oneParagraph = text.replace(/\s*\n+\s*/g, ' ');
  if (oneParagraph.length <= room) return oneParagraph;
  const cut = oneParagraph.slice(0, room);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > room / 2 ? cut.slice(0, atWord) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

/** Goals as read-only label/text pairs. */
export function readGoals(strings: Strings, dialogue: Dialogue, goals: GoalDraft[]): ReadGoal[] {
  strings = stringsForDialogue(strings, dialogue);
  const summary = strings.goals.summary;
  const titles = new Map(dialogue.schoolGoals.map((goal, index) => [goal.id, numbered(index + 1, goal.title)]));
  return goals.map((goal, index) => ({
    heading: summary.goal(index + 1),
    parts: GOAL_STEPS.map((step) => ({
      label: summary.labels[step],
      text: stepText(strings, goal, step, titles, '; '),
    })),
  }));
}

/** What a goal says at one step: its school goals by title, "no support needed", or the teacher's words. */
function stepText(strings: Strings, goal: GoalDraft, step: GoalStep, titles: Map<string, string>, separator: string): string {
  if (step === 'schoolGoals') return goal.schoolGoalIds.map((id) => titles.get(id) ?? noAccidentalList(id)).join(separator);
  if (step === 'support' && !goal.support) return strings.goals.summary.noSupport;
  return noAccidentalList(goal[step] ?? '–');
}

export const MAX_NOTES_CHARS = 8000;

export function participantGoalsCard(
  strings: Strings,
  dialogue: Dialogue,
  teacher: { aadObjectId: string; name: string },
  state: ParticipantState,
  confirmedGoals: GoalDraft[] | undefined,
  notes: TalkNotes | undefined,
  saved = false,
  cascade: { text: string; canApprove: boolean } = { text: '', canApprove: false },
): AdaptiveCard {
  strings = stringsForDialogue(strings, dialogue);
  const principal = strings.goals.principal;
  return renderParticipantGoalsCard({
    title: principal.participantTitle(teacher.name),
    subtitle: principal.participantSubtitle(dialogueTitle(strings, dialogue), principal.states[state] ?? state),
    noGoals: principal.noGoals,
    goals: confirmedGoals ? readGoals(strings, dialogue, confirmedGoals) : [],
    notes: notes?.notes ?? '',
    talkHeldOn: notes?.talkHeldOn ?? '',
    saved: saved ? principal.saved : '',
    maxLength: MAX_NOTES_CHARS,
    labels: {
      notesHeading: principal.notesHeading,
      notesPrivacy: principal.notesPrivacy,
      notes: principal.notes,
      talkHeldOn: principal.talkHeldOn,
      save: principal.save,
      back: principal.back,
    },
    cascade: { ...cascade, approve: strings.cascade.approve },
    dialogueId: dialogue.id,
    teacher: teacher.aadObjectId,
  });
}

/**
 * `mina mål`: the teacher's goals in each dialogue of a läsår. `year`
 * names the läsår when it is not the current one: its goals are then
 * read-only. `earlier`: the current läsår's name and an earlier läsår's id,
 * when she has goals from earlier läsår (said under the title).
 */
export function myGoalsCard(
  strings: Strings,
  language: 'sv' | 'en',
  rows: { dialogue: Dialogue; participation: Participation }[],
  options: { year?: { id: string; name: string }; earlier?: { current: string; example: string } } = {},
): AdaptiveCard {
  const mine = strings.goals.myGoals;
  const ofYear = strings.schoolYear.myGoals;
  const { year, earlier } = options;
  return renderMyGoalsCard({
    title: year ? ofYear.title(strings.schoolYear.yearName(year)) : mine.title,
    empty: year ? ofYear.none(year.id) : mine.none,
    note: year ? ofYear.readOnly : earlier ? ofYear.earlier(earlier.current, earlier.example) : '',
    dialogues: rows.map(({ dialogue, participation }) => {
      const closed = dialogue.status === 'closed' || year !== undefined;
      const parts = [mine.status[participation.status] ?? participation.status, strings.goals.status.deadline(formatDate(dialogue.deadline, language))];
      if (participation.late) parts.push(mine.late);
      if (dialogue.status === 'closed' && !year) parts.push(mine.closedNote);
      return {
        title: dialogueTitle(strings, dialogue),
        subtitle: parts.join(' · '),
        goals: readGoals(strings, dialogue, participation.goals),
        canEdit: !closed,
        action: participation.status === 'done' ? mine.edit : mine.continue,
        dialogueId: dialogue.id,
        version: participation.versions,
      };
    }),
  });
}

export function schoolGoalsCard(
  strings: Strings,
  language: 'sv' | 'en',
  school: { id: string; name: string },
  goals: SchoolGoal[],
  overarching: { id: string; title: string }[],
  notice?: { text: string; good: boolean },
  /** The goal the principal asked to retire, and how many teachers' goals in open dialogues link to it. */
  retiring?: { goalId: string; teachers: number },
): AdaptiveCard {
  const labels = strings.goals.schoolGoalsCard;
  const active = goals.filter((goal) => goal.status === 'active');
  return renderSchoolGoalsCard({
    title: labels.title(school.name),
    intro: labels.intro,
    notice: notice?.text ?? '',
    noticeColor: notice ? (notice.good ? 'Good' : 'Attention') : 'Default',
    goals: active.map((goal, index) => ({
      id: goal.id,
      number: index + 1,
      title: goal.title,
      serves: goal.serves.join(','),
      version: goal.version,
      versionText: labels.version(goal.version, formatDate(goal.updatedAt.slice(0, 10), language)),
      confirm: retiring?.goalId === goal.id ? labels.retireQuestion(retiring.teachers) : '',
    })),
    overarching: overarching.map((goal) => ({ title: goal.title, value: goal.id })),
    retired: goals.filter((goal) => goal.status === 'retired').map((goal) => goal.title),
    labels: {
      goal: labels.goal,
      serves: labels.serves,
      save: labels.save,
      retire: labels.retire,
      newHeading: labels.newHeading,
      newTitle: labels.newTitle,
      add: labels.add,
      retiredHeading: labels.retiredHeading,
      retireNote: labels.retireNote,
      retireYes: labels.retireYes,
      cancel: labels.cancel,
    },
    schoolId: school.id,
  });
}

/**
 * The offer to start a new läsår's goals from last läsår's: what she
 * confirmed then (the goals' own words, shortened: they are hers, in her
 * own chat) and one button that copies them into her draft.
 */
export function carryOverOfferCard(strings: Strings, dialogue: Dialogue, lastYear: { year: string; goals: GoalDraft[] }, version: number): AdaptiveCard {
  const words = strings.schoolYear.carryOver;
  return expandCard('goalCarryOver', {
    title: words.title,
    body: words.body(lastYear.year, lastYear.goals.length),
    goals: lastYear.goals.map((goal, index) => ({ text: numbered(index + 1, shortened(goal.goal ?? '', SUMMARY_GOAL_CHARS)) })),
    orFresh: words.orFresh,
    action: words.action,
    dialogueId: dialogue.id,
    version,
    verbs: { carryOver: VERBS.goalsCarryOver },
  });
}
