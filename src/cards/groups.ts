import { type AdaptiveCard, type Choice, expandCard } from './render';
import { VERBS } from './verbs';

/** The dataset the group form's people pickers search (Data.Query), answered by the bot's application/search invoke. */
export const PEOPLE_DATASET = 'malbild.people';

/** The group form's pickers of people. */
export type PeoplePickerId = 'facilitator' | 'members' | 'studentHealth' | 'treatment';

export interface PeoplePicker {
  /** The people the card itself lists: everyone when they are few, else only those chosen (the rest are found by searching). */
  choices: Choice[];
  /** Typing searches the conversation's people through the bot (Teams' dynamic typeahead). */
  search: boolean;
  style: 'compact' | 'filtered';
  placeholder: string;
}

/** The group form's fields that have both a label and a value. */
type GroupFormField =
  'name' | 'kind' | 'subject' | 'grades' | 'facilitator' | 'members' | 'studentHealth' | 'treatment' | 'meetingCount' | 'startTime' | 'endTime' | 'privacy';

export interface GroupFormCardData {
  title: string;
  groupId: string;
  /** A new group's form id (domain/formIds.ts), sent back with the submission. */
  formId: string;
  problemsHeading: string;
  problems: string[];
  labels: Record<GroupFormField | 'nameError' | 'spread' | 'dates' | 'beforeLead' | 'reminderLead' | 'crossSchoolLabel' | 'crossSchool' | 'area', string>;
  values: Record<GroupFormField | 'beforeLeadHours' | 'reminderLeadHours' | 'crossSchool' | 'area', string>;
  /** A group across schools: the toggle that makes one (`choice`) and its development area (`area`). */
  network: { choice: boolean; area: boolean; areas: Choice[] };
  kinds: Choice[];
  pickers: Record<PeoplePickerId, PeoplePicker>;
  privacies: Choice[];
  dates: { id: string; label: string; value: string }[];
  noSchoolDays: string;
  submitLabel: string;
}

export function renderGroupFormCard(data: GroupFormCardData): AdaptiveCard {
  const card = expandCard('learningGroupForm', { ...data, peopleDataset: PEOPLE_DATASET, verbs: { spread: VERBS.groupSpread, save: VERBS.groupSave } });
  // A picker that lists everyone carries no query at all (templating leaves null where its `$when` dropped it).
  for (const element of (card.body ?? []) as Record<string, unknown>[]) if (element['choices.data'] === null) delete element['choices.data'];
  return card;
}

export interface GroupCardData {
  groupId: string;
  name: string;
  kindLine: string;
  facilitator: string;
  next: string;
  membersHeading: string;
  members: string[];
  pastHeading: string;
  past: string[];
  /** Which check-in the button posts or shows again; empty (and no button) when none. */
  checkInLine: string;
  labels: { checkInNow: string; log: string; edit: string; questions: string };
  /** The buttons that change the group ("Ändra gruppen", "Ändra frågorna"): only in the view of those who may. */
  canEdit: boolean;
  /** Teams user ids whose clients fetch their own view of the card (Universal Actions refresh): those who may change the group. */
  refreshUserIds: string[];
}

export function renderGroupCard(data: GroupCardData): AdaptiveCard {
  const card = expandCard('learningGroup', {
    ...data,
    verbs: { show: VERBS.groupShow, checkInNow: VERBS.groupCheckInNow, log: VERBS.groupLog, edit: VERBS.groupEdit, questions: VERBS.groupQuestions },
  });
  if (!card.refresh) delete card.refresh;
  return card;
}

export interface GroupChoiceCardData {
  question: string;
  groups: { groupId: string; name: string; verb: string }[];
}

export function renderGroupChoiceCard(data: GroupChoiceCardData): AdaptiveCard {
  return expandCard('groupChoice', data);
}

export interface CheckInFormField {
  id: string;
  /** `unit`: a member of a group across schools picks their school. */
  kind: 'text' | 'rating' | 'goal' | 'unit';
  label: string;
  value: string;
  required: boolean;
  requiredMessage: string;
  choices: Choice[];
  error: string;
}

export interface CheckInCardData {
  checkInId: string;
  title: string;
  status: string;
  answeredText: string;
  fewText: string;
  ratingText: string;
  distribution: Choice[];
  named: { question: string; entries: { name: string; text: string }[] }[];
  /** A group across schools in a channel: counts only, per unit. */
  unitLines: string[];
  notice: string;
  ownAnswer: { question: string; text: string }[];
  form: CheckInFormField[];
  problems: string[];
  actions: { title: string; verb: string; checkInId: string }[];
  /** Teams user ids (29:…) whose clients fetch their own view of the card (Universal Actions refresh); at most 60. */
  refreshUserIds: string[];
  labels: { answer: string; send: string; groupAnswers: string; yourAnswer: string; problemsHeading: string };
}

/**
 * The card lists the member's own answer or form before the group's named
 * answers, and the form's send button sits right under the form, not at the
 * foot below everyone's answers.
 */
export function renderCheckInCard(data: CheckInCardData): AdaptiveCard {
  const card = expandCard('checkIn', { ...data, verbs: { view: VERBS.checkInView, answer: VERBS.checkInAnswer } });
  // A card without anyone to refresh for carries no refresh at all.
  if (!card.refresh) delete card.refresh;
  return card;
}

export interface CheckInSummaryCardData {
  title: string;
  answeredText: string;
  lines: string[];
  questions: { question: string; entries: string[] }[];
}

export function renderCheckInSummaryCard(data: CheckInSummaryCardData): AdaptiveCard {
  return expandCard('checkInSummary', data);
}

export interface LearningLogCardData {
  title: string;
  intro: string;
  empty: string;
  meetings: string[];
  chartTitle: string;
  chart: { x: string; y: number }[];
  chartFallback: string;
  learningLogHeading: string;
  plans: { date: string; entries: string[] }[];
}

export function renderLearningLogCard(data: LearningLogCardData): AdaptiveCard {
  return expandCard('learningLog', data);
}

export interface QuestionEditorCardData {
  title: string;
  groupId: string;
  problem: string;
  scope: string;
  scopes: Choice[];
  phase: string;
  phases: Choice[];
  shown: string;
  questions: { labelId: string; label: string; value: string; requiredId: string; requiredLabel: string; required: string }[];
  labels: { scope: string; phase: string; add: string; load: string; save: string };
}

export function renderQuestionEditorCard(data: QuestionEditorCardData): AdaptiveCard {
  return expandCard('questionEditor', { ...data, verbs: { questions: VERBS.groupQuestions, saveQuestions: VERBS.groupSaveQuestions } });
}
