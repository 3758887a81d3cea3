import { type AdaptiveCard, type Choice, expandCard } from './render';
import { VERBS } from './verbs';

export interface DialogueStartCardData {
  title: string;
  intro: string;
  errorHeading: string;
  errors: string[];
  /** Said above the form when the team has an open goal dialogue already; empty when not. */
  warning: string;
  labels: {
    title: string;
    titleError: string;
    goals: string;
    deadline: string;
    deadlineError: string;
    participants: string;
    everyone: string;
    chosen: string;
    choose: string;
    reminders: string;
    submit: string;
  };
  values: {
    title: string;
    goalIds: string;
    deadline: string;
    minDeadline: string;
    participantMode: 'everyone' | 'chosen';
    participantIds: string;
    reminders: 'true' | 'false';
  };
  goals: Choice[];
  members: Choice[];
  schoolId: string;
  /** The form's own id (domain/formIds.ts), sent back with the submission. */
  formId: string;
}

export function renderDialogueStartCard(data: DialogueStartCardData): AdaptiveCard {
  return expandCard('goalDialogueStart', { ...data, verbs: { submit: VERBS.dialogueStart } });
}

export interface DialogueStatusCardData {
  title: string;
  deadline: string;
  progress: string;
  details: string[];
  closed: boolean;
  closedText: string;
  /** A line of its own under the numbers (the start form's answer says where the status card is); empty when none. */
  note: string;
  privacy: string;
}

export function renderDialogueStatusCard(data: DialogueStatusCardData): AdaptiveCard {
  return expandCard('goalDialogueStatus', data);
}

export interface GoalPromptCardData {
  greeting: string;
  body: string;
  /** The school's fokusområde in one line; empty when it has none. */
  focus: string;
  goalsHeading: string;
  /** Each school goal's title with its own number ("3. …"), never renumbered as a list. */
  goals: { title: string; serves: string }[];
  later: string;
  startLabel: string;
  dialogueId: string;
}

export function renderGoalPromptCard(data: GoalPromptCardData): AdaptiveCard {
  return expandCard('goalPrompt', { ...data, verbs: { begin: VERBS.goalsBegin } });
}

export interface GoalQuestionCardData {
  stepLabel: string;
  question: string;
  followUp: string;
  /** The first answer, shown above the field while a follow-up question is asked. */
  soFar: string;
  hint: string;
  isChoice: boolean;
  /** Teams marks the field and refuses to send the card while it is empty. */
  isRequired: boolean;
  requiredMessage: string;
  /** What the server refused in the last answer, shown next to the field. */
  error: string;
  choices: Choice[];
  value: string;
  placeholder: string;
  maxLength: number;
  labels: { save: string; back: string; pause: string };
  dialogueId: string;
  /** The version of the goals the card is made with (a card from before a confirmation is old). */
  version: number;
  goalIndex: number;
  step: string;
}

export function renderGoalQuestionCard(data: GoalQuestionCardData): AdaptiveCard {
  return expandCard('goalQuestion', {
    ...data,
    verbs: { answer: VERBS.goalsAnswer, back: VERBS.goalsBack, pause: VERBS.goalsPause },
  });
}

export interface GoalSummaryCardData {
  title: string;
  intro: string;
  /** The school's fokusområde in one line; empty when it has none. */
  focus: string;
  /** In the principal's målsamtal with the managers: the button that opens the fokusområde's form; empty for none. */
  focusEdit: string;
  goals: {
    heading: string;
    index: number;
    /** "Ändra mål N": opens the choice of which part of the goal to change. */
    editLabel: string;
    /** Some part is longer than its short form: "Visa allt" swaps the short forms for the whole text. */
    truncated: boolean;
    /** `short` is the part cut at a word (with "…") when long, else the whole `text`. */
    parts: { label: string; text: string; short: string; step: string; goalIndex: number }[];
  }[];
  readOnly: boolean;
  canAdd: boolean;
  canRemove: boolean;
  labels: { whichPart: string; showAll: string; remove: string; addGoal: string; confirm: string };
  dialogueId: string;
  version: number;
}

export function renderGoalSummaryCard(data: GoalSummaryCardData): AdaptiveCard {
  return expandCard('goalSummary', {
    ...data,
    verbs: { edit: VERBS.goalsEdit, remove: VERBS.goalsRemove, add: VERBS.goalsAdd, confirm: VERBS.goalsConfirm, focusEdit: VERBS.goalsFocusEdit },
  });
}

export interface PrincipalOverviewCardData {
  title: string;
  /** What the last action did (a reminder sent, the dialogue closed); empty when nothing. */
  notice: string;
  empty: string;
  dialogues: {
    title: string;
    subtitle: string;
    open: boolean;
    /** The question before closing, with the numbers; empty unless the principal pressed close. */
    confirmClose: string;
    closeNote: string;
    dialogueId: string;
    participants: { name: string; state: string; talk: string; canRemind: boolean; aadObjectId: string; dialogueId: string }[];
  }[];
  labels: { open: string; close: string; closeYes: string; cancel: string; reopen: string; remind: string };
}

export function renderPrincipalOverviewCard(data: PrincipalOverviewCardData): AdaptiveCard {
  return expandCard('principalOverview', {
    ...data,
    verbs: {
      open: VERBS.principalOpen,
      close: VERBS.dialogueClose,
      closeYes: VERBS.dialogueCloseConfirm,
      cancel: VERBS.principalOverview,
      reopen: VERBS.dialogueReopen,
      remind: VERBS.principalRemind,
    },
  });
}

export interface ReadGoal {
  heading: string;
  parts: { label: string; text: string }[];
}

export interface ParticipantGoalsCardData {
  title: string;
  subtitle: string;
  noGoals: string;
  goals: ReadGoal[];
  notes: string;
  talkHeldOn: string;
  saved: string;
  maxLength: number;
  labels: { notesHeading: string; notesPrivacy: string; notes: string; talkHeldOn: string; save: string; back: string };
  /** In the principals' målsamtal: whether the goals are the school's, and the button that makes them so. */
  cascade: { text: string; canApprove: boolean; approve: string };
  dialogueId: string;
  teacher: string;
}

export function renderParticipantGoalsCard(data: ParticipantGoalsCardData): AdaptiveCard {
  return expandCard('participantGoals', { ...data, verbs: { save: VERBS.principalNotes, back: VERBS.principalOverview, approve: VERBS.schoolGoalsApprove } });
}

export interface MyGoalsCardData {
  title: string;
  empty: string;
  /** A line under the title (the läsår, how to read earlier ones); empty when none. */
  note: string;
  dialogues: { title: string; subtitle: string; goals: ReadGoal[]; canEdit: boolean; action: string; dialogueId: string; version: number }[];
}

export function renderMyGoalsCard(data: MyGoalsCardData): AdaptiveCard {
  return expandCard('myGoals', { ...data, verbs: { begin: VERBS.goalsBegin } });
}

export interface SchoolGoalsCardData {
  title: string;
  intro: string;
  notice: string;
  noticeColor: 'Good' | 'Attention' | 'Default';
  /** `confirm`: the question before retiring the goal, with the teachers whose goals link to it; empty when not asked. */
  goals: { id: string; number: number; title: string; serves: string; version: number; versionText: string; confirm: string }[];
  overarching: Choice[];
  retired: string[];
  labels: {
    goal: string;
    serves: string;
    save: string;
    retire: string;
    newHeading: string;
    newTitle: string;
    add: string;
    retiredHeading: string;
    retireNote: string;
    retireYes: string;
    cancel: string;
  };
  schoolId: string;
}

export function renderSchoolGoalsCard(data: SchoolGoalsCardData): AdaptiveCard {
  return expandCard('schoolGoals', {
    ...data,
    verbs: { save: VERBS.schoolGoalSave, retire: VERBS.schoolGoalRetire, retireYes: VERBS.schoolGoalRetireConfirm, show: VERBS.schoolGoalsShow },
  });
}
