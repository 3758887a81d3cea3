/**
 * Every card Målbild can show, expanded through the typed render functions
 * in src/cards with realistic data: one entry per template, state and
 * language. Shared by `npm run cards` and test/cards/cards.test.ts, so the
 * pictures a person looks at and the checks CI runs are the same cards.
 */
import { helpCard } from '../../src/bot/help';
import {
  goalPromptCard,
  goalQuestionCard,
  goalReminderCard,
  goalSummaryCard,
  myGoalsCard,
  carryOverOfferCard,
  participantGoalsCard,
  schoolGoalsCard,
} from '../../src/cards/goalViews';
import {
  dialogueStartCard,
  dialogueStartedCard,
  dialogueStatusCard,
  goalNudgeCard,
  principalOverviewCard,
  type StartFormValues,
} from '../../src/cards/goalPrincipalViews';
import { checkInCard, checkInSummaryCard, type CheckInViewer, learningLogCard } from '../../src/cards/groupCheckInViews';
import { formOfGroup, groupCard, groupChoiceCard, groupFormCard, type MeetingCounts, questionEditorCard } from '../../src/cards/groupViews';
import { languageChoiceCard } from '../../src/cards/language';
import { goalMapSamples } from './goalMapFixtures';
import type { AdaptiveCard } from '../../src/cards/render';
import { VERBS } from '../../src/cards/verbs';
import { renderWelcomeCard } from '../../src/cards/welcome';
import type { ConversationKind } from '../../src/domain/conversations';
import type { Dialogue, GoalDraft, GoalStep, Participation } from '../../src/domain/goalDialogue';
import { GOAL_STEPS } from '../../src/domain/goalDialogue';
import { aggregate, type Answer, type CheckIn, type Group } from '../../src/domain/learningGroup';
import { groupFormSchema } from '../../src/domain/learningGroupFormRules';
import type { CheckInView, Person } from '../../src/domain/learningGroupService';
import type { SchoolGoal } from '../../src/domain/schoolGoals';
import { type Language, stringsFor } from '../../src/i18n';
import { largeStaff, mathsGroup, sampleAnswer, STAFF } from '../helpers/learningGroups';
import { schoolFocusSamples } from './schoolFocusFixtures';
import { followUpSamples } from './followUpFixtures';
import { resultDialogueSamples } from './resultDialogueFixtures';
import { followUpRoundsSamples } from './followUpRoundsFixtures';
import { networkSamples } from './networkFixtures';
import { nudgeSamples } from './nudgeFixtures';
import { indicatorSamples } from './indicatorFixtures';

export interface CardSample {
  /** The template in adaptiveCards/ (file name without .json). */
  template: string;
  /** What the sample shows, as a file-name-safe slug. */
  state: string;
  language: Language;
  card: AdaptiveCard;
}

const LANGUAGES: Language[] = ['sv', 'en'];
const TIME_ZONE = 'Europe/Stockholm';

const staff = STAFF;
const [lena, ali, britt, cecilia, david, emma] = staff as [Person, Person, Person, Person, Person, Person];

const school = { id: 'angsskolan', name: 'Ängsskolan F–9' };
const overarching = [
  { id: 'ov-1', title: 'Alla elever ska nå kunskapskraven i svenska' },
  { id: 'ov-2', title: 'Trygghet och studiero i alla klassrum' },
];

const schoolGoals: SchoolGoal[] = [
  {
    schoolId: school.id,
    id: 'goal-1',
    title: 'Fler elever läser minst 20 minuter varje dag, i skolan och hemma',
    serves: ['ov-1'],
    status: 'active',
    position: 0,
    version: 2,
    updatedAt: '2026-08-20T08:00:00.000Z',
    updatedBy: 'aad-rektor',
  },
  {
    schoolId: school.id,
    id: 'goal-2',
    title: 'Formativ bedömning i varje lektion: eleverna vet vad de ska lära sig och hur de ser att de lärt sig det',
    serves: ['ov-1', 'ov-2'],
    status: 'active',
    position: 1,
    version: 1,
    updatedAt: '2026-08-15T08:00:00.000Z',
    updatedBy: 'aad-rektor',
  },
  {
    schoolId: school.id,
    id: 'goal-3',
    title: 'Lugna övergångar mellan lektioner och raster',
    serves: ['ov-2'],
    status: 'active',
    position: 2,
    version: 1,
    updatedAt: '2026-08-15T08:00:00.000Z',
    updatedBy: 'aad-rektor',
  },
  {
    schoolId: school.id,
    id: 'goal-old',
    title: 'Digitala verktyg i all undervisning',
    serves: [],
    status: 'retired',
    position: 3,
    version: 3,
    updatedAt: '2026-06-10T08:00:00.000Z',
    updatedBy: 'aad-rektor',
  },
];
const activeGoals = schoolGoals.filter((goal) => goal.status === 'active');

function sampleDialogue(language: Language, overrides: Partial<Dialogue> = {}): Dialogue {
  return {
    id: 'dlg-ht26',
    tenantId: 'tenant',
    schoolId: school.id,
    title: language === 'sv' ? 'Målsamtal HT 2026' : 'Goal dialogue autumn 2026',
    schoolGoals: activeGoals.map((goal) => ({ id: goal.id, title: goal.title, serves: goal.serves })),
    deadline: '2026-10-16',
    participants: staff.slice(0, 5).map((person) => ({ ...person, givenName: person.name.split(' ')[0] })),
    reminders: { enabled: true, daysBefore: [7, 2] },
    principal: { aadObjectId: 'aad-rektor', userId: '29:rektor', name: 'Rita Rektor' },
    channel: { conversationId: '19:larare@thread.tacv2', serviceUrl: 'https://smba.example/', language },
    status: 'open',
    createdAt: '2026-09-01T08:00:00.000Z',
    ...overrides,
  };
}

const threeGoals: GoalDraft[] = [
  {
    schoolGoalIds: ['goal-1', 'goal-2'],
    goal: 'Mina elever i 4B läser varje dag och kan berätta om vad de läst för en kamrat.',
    how: 'Tio minuters tyst läsning i början av varje svensklektion, lässamtal i par på fredagar och en läslogg som eleverna tar hem.',
    evidence: 'Läsloggarna, elevernas egna skattningar i oktober och maj, och vad jag hör i lässamtalen.',
    support: 'Tid med skolbibliotekarien för att fylla på klassrumsbiblioteket.',
    supportSkipped: false,
    followedUp: [],
  },
  {
    schoolGoalIds: ['goal-2'],
    goal: 'Varje lektion i matematik börjar med målet och slutar med en exit ticket.',
    how: 'Jag skriver målet på tavlan och vi läser det tillsammans; exit tickets på lappar som jag sorterar efter lektionen.',
    evidence: 'Exit tickets sparade i en pärm per vecka.',
    support: undefined,
    supportSkipped: true,
    followedUp: [],
  },
  {
    schoolGoalIds: ['goal-3'],
    goal: 'Lugnare starter efter lunchrasten.',
    how: 'Bildschema vid dörren och samma startuppgift varje dag.',
    evidence: 'Hur lång tid det tar tills alla arbetar, mätt två veckor i september och två i november.',
    support: 'Stöd från elevhälsan att planera för två elever som har svårt med övergångar.',
    supportSkipped: false,
    followedUp: [],
  },
];

function sampleParticipation(dialogue: Dialogue, person: Person, goals: GoalDraft[], status: Participation['status']): Participation {
  return {
    dialogueId: dialogue.id,
    aadObjectId: person.aadObjectId,
    userId: person.userId,
    name: person.name,
    status,
    goals,
    cursor: { goalIndex: 0, step: status === 'done' ? 'summary' : 'goal' },
    editing: false,
    awaitingFollowUp: false,
    paused: false,
    late: false,
    versions: status === 'done' ? 1 : 0,
    updatedAt: '2026-09-20T08:00:00.000Z',
  };
}

function goalDialogueSamples(language: Language): Omit<CardSample, 'language'>[] {
  const strings = stringsFor(language);
  const dialogue = sampleDialogue(language);
  const closed = sampleDialogue(language, { status: 'closed', closedAt: '2026-10-20T08:00:00.000Z' });
  const overarchingTitles = new Map(overarching.map((goal) => [goal.id, goal.title]));
  const emptyForm: StartFormValues = { title: dialogue.title, goalIds: [], deadline: '', participantMode: 'everyone', participantIds: [], reminders: true };
  const filledForm: StartFormValues = {
    ...emptyForm,
    goalIds: ['goal-1', 'goal-3'],
    deadline: '2026-10-16',
    participantMode: 'chosen',
    participantIds: ['aad-ali', 'aad-britt'],
  };
  const writing = sampleParticipation(dialogue, ali, [threeGoals[0]!], 'in-progress');
  const step = (name: GoalStep, followUp = false) => ({
    state: `step-${GOAL_STEPS.indexOf(name) + 1}-${name}${followUp ? '-follow-up' : ''}`,
    card: goalQuestionCard(strings, dialogue, writing, 0, name, followUp),
  });
  return [
    { template: 'goalDialogueStart', state: 'empty', card: dialogueStartCard(strings, school, activeGoals, staff, emptyForm, '2026-09-02') },
    {
      template: 'goalDialogueStart',
      state: 'problems',
      card: dialogueStartCard(strings, school, activeGoals, staff, filledForm, '2026-09-02', ['title', 'deadline', 'goals', 'participants']),
    },
    {
      template: 'goalDialogueStart',
      state: 'already-open',
      card: dialogueStartCard(strings, school, activeGoals, staff, emptyForm, '2026-09-02', [], '', [strings.goals.defaultTitle('HT', 2026)]),
    },
    {
      template: 'goalDialogueStatus',
      state: 'open-0-of-5',
      card: dialogueStatusCard(strings, language, dialogue, { total: 5, done: 0, inProgress: 0, notReached: {} }),
    },
    {
      template: 'goalDialogueStatus',
      state: 'open-2-of-5-with-not-reached',
      card: dialogueStatusCard(strings, language, dialogue, { total: 5, done: 2, inProgress: 1, notReached: { 'not-installed': 1, blocked: 1 } }),
    },
    { template: 'goalDialogueStatus', state: 'started-in-thread', card: dialogueStartedCard(strings, language, dialogue) },
    {
      template: 'goalDialogueStatus',
      state: 'closed-5-of-5',
      card: dialogueStatusCard(strings, language, closed, { total: 5, done: 5, inProgress: 0, notReached: {} }),
    },
    { template: 'goalPrompt', state: 'invitation', card: goalPromptCard(strings, language, dialogue, ali, overarchingTitles) },
    { template: 'goalPrompt', state: 'reminder', card: goalReminderCard(strings, language, dialogue, 2, overarchingTitles) },
    { template: 'goalPrompt', state: 'principal-reminder', card: goalNudgeCard(strings, language, dialogue, '2026-10-09', overarchingTitles) },
    { template: 'goalPrompt', state: 'principal-reminder-late', card: goalNudgeCard(strings, language, dialogue, '2026-10-20', overarchingTitles) },
    ...GOAL_STEPS.map((name) => ({ template: 'goalQuestion', ...step(name) })),
    { template: 'goalQuestion', ...step('goal', true) },
    { template: 'goalSummary', state: 'editable-3-goals', card: goalSummaryCard(strings, dialogue, threeGoals, { readOnly: false }) },
    { template: 'goalSummary', state: 'editable-1-goal', card: goalSummaryCard(strings, dialogue, threeGoals.slice(0, 1), { readOnly: false }) },
    {
      template: 'goalSummary',
      state: 'confirmed-copy',
      card: goalSummaryCard(strings, dialogue, threeGoals, { readOnly: true, title: strings.goals.summary.title }),
    },
    ...overviewSamples(strings, language, dialogue),
    {
      template: 'participantGoals',
      state: 'goals-and-notes-saved',
      card: participantGoalsCard(
        strings,
        dialogue,
        ali,
        'done',
        threeGoals,
        { notes: 'Vi pratade om läsloggen. Följ upp i november.', talkHeldOn: '2026-10-20', updatedAt: '2026-10-20T10:00:00.000Z' },
        true,
      ),
    },
    { template: 'participantGoals', state: 'no-goals-yet', card: participantGoalsCard(strings, dialogue, david, 'not-started', undefined, undefined) },
    { template: 'myGoals', state: 'empty', card: myGoalsCard(strings, language, []) },
    {
      template: 'myGoals',
      state: 'open-and-closed',
      card: myGoalsCard(strings, language, [
        { dialogue, participation: sampleParticipation(dialogue, ali, threeGoals.slice(0, 2), 'done') },
        {
          dialogue: sampleDialogue(language, {
            id: 'dlg-vt26',
            title: language === 'sv' ? 'Målsamtal VT 2026' : 'Goal dialogue spring 2026',
            status: 'closed',
          }),
          participation: { ...sampleParticipation(dialogue, ali, threeGoals.slice(2), 'done'), late: true },
        },
      ]),
    },
    {
      template: 'myGoals',
      state: 'this-year-with-earlier-years',
      card: myGoalsCard(strings, language, [{ dialogue, participation: sampleParticipation(dialogue, ali, threeGoals.slice(0, 1), 'in-progress') }], {
        earlier: { current: language === 'sv' ? 'Läsåret 2027/28' : 'School year 2027/28', example: '2026-27' },
      }),
    },
    {
      template: 'myGoals',
      state: 'earlier-year-read-only',
      card: myGoalsCard(strings, language, [{ dialogue, participation: sampleParticipation(dialogue, ali, threeGoals, 'done') }], {
        year: { id: '2026-27', name: language === 'sv' ? 'Läsåret 2026/27' : 'School year 2026/27' },
      }),
    },
    { template: 'myGoals', state: 'earlier-year-empty', card: myGoalsCard(strings, language, [], { year: { id: '2025-26', name: 'Läsåret 2025/26' } }) },
    { template: 'goalCarryOver', state: 'one-goal', card: carryOverOfferCard(strings, dialogue, { year: '2026-27', goals: threeGoals.slice(0, 1) }, 0) },
    { template: 'goalCarryOver', state: 'three-goals', card: carryOverOfferCard(strings, dialogue, { year: '2026-27', goals: threeGoals }, 0) },
    { template: 'schoolGoals', state: 'list', card: schoolGoalsCard(strings, language, school, schoolGoals, overarching) },
    {
      template: 'schoolGoals',
      state: 'saved-notice',
      card: schoolGoalsCard(strings, language, school, schoolGoals, overarching, {
        text: language === 'sv' ? 'Målet är sparat.' : 'The goal is saved.',
        good: true,
      }),
    },
    ...[0, 1, 7].map((teachers) => ({
      template: 'schoolGoals',
      state: `retire-confirm-${teachers}-teachers`,
      card: schoolGoalsCard(strings, language, school, schoolGoals, overarching, undefined, { goalId: 'goal-2', teachers }),
    })),
    {
      template: 'schoolGoals',
      state: 'error-notice',
      card: schoolGoalsCard(strings, language, school, schoolGoals, overarching, {
        text: language === 'sv' ? 'Målet behöver en titel.' : 'The goal needs a title.',
        good: false,
      }),
    },
  ];
}

/** The principal's overview: who has written and when, the talks held, reminders, closing and reopening. */
function overviewSamples(strings: ReturnType<typeof stringsFor>, language: Language, dialogue: Dialogue): Omit<CardSample, 'language'>[] {
  const now = new Date('2026-10-09T10:00:00Z');
  const options = { now, timeZone: TIME_ZONE };
  const [first, second, third, fourth, fifth] = dialogue.participants as [Person, Person, Person, Person, Person];
  const at = (person: Person, status: Participation['status'], changes: Partial<Participation>) => ({
    ...sampleParticipation(dialogue, person, status === 'not-started' ? [] : threeGoals.slice(0, 1), status),
    ...changes,
  });
  const open = {
    dialogue,
    done: 2,
    participants: [
      { person: first, state: 'done' as const, participation: at(first, 'done', { confirmedAt: '2026-09-08T12:00:00Z' }), talkHeldOn: '2026-10-02' },
      { person: second, state: 'late' as const, participation: at(second, 'done', { confirmedAt: '2026-10-07T12:00:00Z', late: true }) },
      { person: third, state: 'in-progress' as const, participation: at(third, 'in-progress', { startedAt: '2026-09-03T07:00:00Z' }) },
      { person: fourth, state: 'not-started' as const, participation: at(fourth, 'not-started', { remindedOn: '2026-10-09' }) },
      { person: fifth, state: 'not-reachable' as const },
    ],
  };
  const closedEarlier = {
    dialogue: sampleDialogue(language, {
      id: 'dlg-vt26',
      title: language === 'sv' ? 'Målsamtal VT 2026' : 'Goal dialogue spring 2026',
      status: 'closed',
      deadline: '2026-03-13',
    }),
    done: 5,
    participants: dialogue.participants.map((person) => ({ person, state: 'done' as const })),
  };
  const all = (unfinished: number) => ({ dialogueId: dialogue.id, total: 5, unfinished });
  return [
    { template: 'principalOverview', state: 'empty', card: principalOverviewCard(strings, language, [], options) },
    { template: 'principalOverview', state: 'two-dialogues', card: principalOverviewCard(strings, language, [open, closedEarlier], options) },
    {
      template: 'principalOverview',
      state: 'reminder-sent',
      card: principalOverviewCard(strings, language, [open], { ...options, notice: strings.goals.principal.reminderSent(fourth.name) }),
    },
    ...[3, 1, 0].map((unfinished) => ({
      template: 'principalOverview',
      state: `confirm-close-${unfinished}-unfinished`,
      card: principalOverviewCard(strings, language, [open], { ...options, closing: all(unfinished) }),
    })),
  ];
}

/** A group with six meetings, the first three held. */
function sampleGroup(language: Language, overrides: Partial<Group> = {}): Group {
  const maths = mathsGroup({}, language);
  return mathsGroup(
    {
      members: [...maths.members, { ...david, role: 'behandlingspersonal' }, { ...emma, role: 'lärare' }],
      meetings: [
        ...maths.meetings,
        { id: 'm4', date: '2026-12-14', questions: {} },
        { id: 'm5', date: '2027-02-09', questions: {} },
        { id: 'm6', date: '2027-03-16', questions: {} },
      ],
      ...overrides,
    },
    language,
  );
}

function answer(checkIn: CheckIn, person: Person, values: Answer['values']): Answer {
  return sampleAnswer(checkIn.id, person, values, '2026-12-14T16:00:00.000Z');
}

function sampleView(
  group: Group,
  phase: 'before' | 'after',
  meetingId: string,
  answers: (c: CheckIn) => Answer[],
  overrides: Partial<CheckIn> = {},
): CheckInView {
  const checkIn: CheckIn = {
    id: `${group.id}~${meetingId}~${phase}`,
    tenantId: group.tenantId,
    groupId: group.id,
    meetingId,
    phase,
    questions: group.questions[phase],
    members: group.members,
    postedAt: '2026-12-13T15:30:00.000Z',
    closesAt: '2026-12-14T14:30:00.000Z',
    status: 'open',
    ...overrides,
  };
  const list = answers(checkIn);
  return { group, checkIn, answers: list, aggregate: aggregate(checkIn, list, group.privacy) };
}

function afterAnswers(language: Language) {
  const sv = language === 'sv';
  return (c: CheckIn) => [
    answer(c, lena, {
      plan: sv ? 'Exit tickets i 5B varje fredag' : 'Exit tickets in 5B every Friday',
      lookFor: sv ? 'Fler elever ställer frågor' : 'More pupils ask questions',
      useful: 4,
    }),
    answer(c, ali, { plan: sv ? 'Läsloggar i 4A' : 'Reading logs in 4A', lookFor: sv ? 'Längre svar' : 'Longer answers', useful: 5, goal: 'goal-1' }),
    answer(c, britt, { plan: sv ? 'Bildstöd vid övergångar' : 'Picture support at transitions', lookFor: sv ? 'Lugnare start' : 'A calmer start', useful: 5 }),
  ];
}

function beforeAnswers(language: Language) {
  const sv = language === 'sv';
  return (c: CheckIn) => [
    answer(c, lena, {
      tried: sv ? 'Exit tickets två gånger i veckan' : 'Exit tickets twice a week',
      happened: sv ? 'Fler svarade än jag trodde' : 'More answered than I expected',
    }),
    answer(c, ali, {
      tried: sv ? 'Lässamtal i par' : 'Reading talks in pairs',
      happened: sv ? 'Eleverna pratade längre' : 'The pupils talked longer',
      ask: sv ? 'Hur gör ni med de som inte vill?' : 'What do you do with those who will not?',
    }),
    answer(c, cecilia, { tried: sv ? 'Bildschema' : 'A picture schedule', happened: sv ? 'Lugnare' : 'Calmer' }),
  ];
}

function groupSamples(language: Language): Omit<CardSample, 'language'>[] {
  const strings = stringsFor(language);
  const group = sampleGroup(language);
  const anonymous = sampleGroup(language, { privacy: 'anonymous' });
  const goalChoices = activeGoals.slice(0, 2).map((goal) => ({ title: goal.title, value: goal.id }));
  const newForm = groupFormSchema.parse({
    name: '',
    kind: 'lärgrupp',
    facilitator: lena.aadObjectId,
    members: 'aad-lena,aad-ali',
    dates: ['2026-09-15', '2026-10-13'],
  });
  const meetings: MeetingCounts[] = group.meetings.map((meeting, index) => ({
    date: meeting.date,
    past: index < 3,
    before: index < 3 ? { answered: 5 - index, members: 6 } : undefined,
    after: index < 3 ? { answered: 4, members: 6 } : undefined,
  }));
  const after = sampleView(group, 'after', 'm4', afterAnswers(language));
  const before = sampleView(group, 'before', 'm4', beforeAnswers(language));
  const empty = (): Answer[] => [];
  const person = (aadObjectId: string, extra: Partial<CheckInViewer> = {}): CheckInViewer => ({ mode: 'person', aadObjectId, goalChoices, ...extra });
  const logViews = group.meetings
    .slice(0, 3)
    .flatMap((meeting, index) => [
      sampleView(group, 'before', meeting.id, beforeAnswers(language), { status: 'closed' }),
      sampleView(group, 'after', meeting.id, (c) => afterAnswers(language)(c).slice(0, 3 - (index % 2)), { status: 'closed' }),
    ]);
  const scope = group.meetings[1]!;
  scope.questions.before = [
    {
      id: 'egen',
      kind: 'text',
      label: language === 'sv' ? 'Vad tar du med dig från förra träffen?' : 'What do you bring from the last meeting?',
      required: false,
    },
  ];
  return [
    { template: 'learningGroupForm', state: 'new-with-problems', card: groupFormCard(strings, newForm, staff, { problems: ['name', 'dates'] }) },
    { template: 'learningGroupForm', state: 'edit-6-meetings', card: groupFormCard(strings, formOfGroup(group), staff, { groupName: group.name }) },
    { template: 'learningGroupForm', state: 'new-no-school-days', card: groupFormCard(strings, { ...newForm, dates: [] }, staff, { noSchoolDays: true }) },
    {
      template: 'learningGroup',
      state: '6-meetings',
      card: groupCard(strings, language, group, meetings, { kind: 'post', phase: 'before', date: '2026-10-13' }, 'everyone'),
    },
    {
      template: 'learningGroup',
      state: '6-meetings-facilitator',
      card: groupCard(strings, language, group, meetings, { kind: 'post', phase: 'before', date: '2026-10-13' }, 'editor'),
    },
    {
      template: 'groupChoice',
      state: 'three-groups',
      card: groupChoiceCard(
        strings,
        [group, sampleGroup(language, { id: 'g2', name: 'Svenska åk 1–3' }), sampleGroup(language, { id: 'g3', name: 'Elevhälsoteamet' })],
        VERBS.groupLog,
      ),
    },
    { template: 'checkIn', state: 'before-group', card: checkInCard(strings, language, TIME_ZONE, before, { mode: 'group' }) },
    { template: 'checkIn', state: 'before-person', card: checkInCard(strings, language, TIME_ZONE, before, person(emma.aadObjectId)) },
    {
      template: 'checkIn',
      state: 'before-answered',
      card: checkInCard(strings, language, TIME_ZONE, before, person(ali.aadObjectId, { notice: strings.groups.checkIn.thanks })),
    },
    { template: 'checkIn', state: 'after-group', card: checkInCard(strings, language, TIME_ZONE, after, { mode: 'group' }) },
    { template: 'checkIn', state: 'after-person', card: checkInCard(strings, language, TIME_ZONE, after, person(emma.aadObjectId)) },
    {
      template: 'checkIn',
      state: 'after-person-problems',
      card: checkInCard(
        strings,
        language,
        TIME_ZONE,
        sampleView(group, 'after', 'm4', empty),
        person(emma.aadObjectId, { input: { plan: '', lookFor: 'x', useful: '4' }, problems: [{ questionId: 'plan', problem: 'required' }] }),
      ),
    },
    {
      template: 'checkIn',
      state: 'after-answered',
      card: checkInCard(strings, language, TIME_ZONE, after, person(ali.aadObjectId, { notice: strings.groups.checkIn.thanks })),
    },
    {
      template: 'checkIn',
      state: 'after-closed-group',
      card: checkInCard(strings, language, TIME_ZONE, sampleView(group, 'after', 'm4', afterAnswers(language), { status: 'closed' }), { mode: 'group' }),
    },
    {
      template: 'checkIn',
      state: 'anonymous-few-group',
      card: checkInCard(
        strings,
        language,
        TIME_ZONE,
        sampleView(anonymous, 'after', 'm4', (c) => afterAnswers(language)(c).slice(0, 2)),
        { mode: 'group' },
      ),
    },
    { template: 'checkInSummary', state: 'after-named', card: checkInSummaryCard(strings, language, after, [3.5, 4]) },
    { template: 'checkInSummary', state: 'before-named', card: checkInSummaryCard(strings, language, before, []) },
    {
      template: 'checkInSummary',
      state: 'before-named-ahead-of-meeting',
      card: checkInSummaryCard(strings, language, before, [], { kind: 'early', timeZone: TIME_ZONE }),
    },
    { template: 'checkInSummary', state: 'before-named-update', card: checkInSummaryCard(strings, language, before, [], { kind: 'update' }) },
    {
      template: 'checkInSummary',
      state: 'anonymous-few',
      card: checkInSummaryCard(
        strings,
        language,
        sampleView(anonymous, 'after', 'm4', (c) => afterAnswers(language)(c).slice(0, 2)),
        [],
      ),
    },
    {
      template: 'learningLog',
      state: '3-of-6-meetings',
      card: learningLogCard(strings, language, group, language === 'sv' ? 'Läsåret 2026/27' : 'School year 2026/27', logViews),
    },
    {
      template: 'learningLog',
      state: 'empty',
      card: learningLogCard(strings, language, group, language === 'sv' ? 'Läsåret 2026/27' : 'School year 2026/27', []),
    },
    { template: 'questionEditor', state: 'all-after', card: questionEditorCard(strings, language, group, 'all', 'after') },
    {
      template: 'questionEditor',
      state: 'one-meeting-before-problem',
      card: questionEditorCard(strings, language, group, scope.id, 'before', strings.groups.editor.invalid),
    },
  ];
}

/** A long answer, as a teacher who writes a lot writes it (about `chars` characters). */
function longAnswer(language: Language, chars: number): string {
  const sentence =
    language === 'sv'
      ? 'Vi provade exit tickets i 5B och fler elever skrev vad de inte förstod, så nästa lektion började med deras frågor. '
      : 'We tried exit tickets in 5B and more pupils wrote what they did not understand, so the next lesson began with their questions. ';
  return sentence
    .repeat(Math.ceil(chars / sentence.length))
    .slice(0, chars)
    .trim();
}

/**
 * The largest group the cards are built for: 300 people (more than a group
 * may have) from a staff team of 1,000, every one answering at length, one
 * with the full 2,000 characters, over six meetings. Each group card must
 * still be within 40 KB (test/cards/groupCardSizes.test.ts).
 */
export function bigGroupSamples(language: Language): CardSample[] {
  const strings = stringsFor(language);
  const team = largeStaff(1000);
  const members = team
    .slice(0, 300)
    .map((p, i) => ({ ...p, role: i % 20 === 5 ? ('elevhälsa' as const) : i % 20 === 9 ? ('behandlingspersonal' as const) : ('lärare' as const) }));
  const group = sampleGroup(language, { members });
  const answers = (phase: 'before' | 'after') => (c: CheckIn) =>
    members.map((m, i) =>
      answer(
        c,
        m,
        phase === 'before'
          ? {
              tried: longAnswer(language, i === 0 ? 2000 : 300),
              happened: longAnswer(language, 200),
              evidence: longAnswer(language, 150),
              ask: longAnswer(language, 100),
            }
          : { plan: longAnswer(language, i === 0 ? 2000 : 300), lookFor: longAnswer(language, 200), useful: (i % 5) + 1, support: longAnswer(language, 100) },
      ),
    );
  const after = sampleView(group, 'after', 'm4', answers('after'));
  const before = sampleView(group, 'before', 'm4', answers('before'));
  const logViews = group.meetings
    .slice(0, 3)
    .flatMap((meeting) => [
      sampleView(group, 'before', meeting.id, answers('before'), { status: 'closed' }),
      sampleView(group, 'after', meeting.id, answers('after'), { status: 'closed' }),
    ]);
  const meetings: MeetingCounts[] = group.meetings.map((meeting, index) => ({
    date: meeting.date,
    past: index < 3,
    before: index < 3 ? { answered: 300, members: 300 } : undefined,
    after: index < 3 ? { answered: 290, members: 300 } : undefined,
  }));
  const newForm = groupFormSchema.parse({ kind: 'lärgrupp', facilitator: lena.aadObjectId, members: lena.aadObjectId, dates: ['2026-09-15', '2026-10-13'] });
  const samples: Omit<CardSample, 'language'>[] = [
    { template: 'learningGroupForm', state: 'new-team-1000', card: groupFormCard(strings, newForm, team) },
    {
      template: 'learningGroupForm',
      state: 'edit-300-members-team-1000',
      card: groupFormCard(strings, formOfGroup(group), team, { groupName: group.name, problems: ['members'] }),
    },
    {
      template: 'learningGroup',
      state: '300-members',
      card: groupCard(strings, language, group, meetings, { kind: 'show', phase: 'after', date: '2026-12-14' }, 'everyone'),
    },
    {
      template: 'groupChoice',
      state: 'three-groups-300-members',
      card: groupChoiceCard(strings, [group, sampleGroup(language, { id: 'g2', members })], VERBS.groupShow),
    },
    { template: 'checkIn', state: 'after-group-300-members', card: checkInCard(strings, language, TIME_ZONE, after, { mode: 'group' }) },
    {
      template: 'checkIn',
      state: 'before-person-editing-300-members',
      card: checkInCard(strings, language, TIME_ZONE, before, { mode: 'person', aadObjectId: lena.aadObjectId, editing: true }),
    },
    {
      template: 'checkIn',
      state: 'after-person-answered-300-members',
      card: checkInCard(strings, language, TIME_ZONE, after, { mode: 'person', aadObjectId: lena.aadObjectId }),
    },
    { template: 'checkInSummary', state: 'before-300-members', card: checkInSummaryCard(strings, language, before, [3.5, 4]) },
    {
      template: 'learningLog',
      state: '300-members-3-of-6-meetings',
      card: learningLogCard(strings, language, group, language === 'sv' ? 'Läsåret 2026/27' : 'School year 2026/27', logViews),
    },
    { template: 'questionEditor', state: 'all-before-300-members', card: questionEditorCard(strings, language, group, 'all', 'before') },
  ];
  return samples.map((sample) => ({ ...sample, language }));
}

function generalSamples(language: Language): Omit<CardSample, 'language'>[] {
  const strings = stringsFor(language);
  const help = (kind: ConversationKind) => helpCard(strings, kind);
  // Every section open, as after pressing each button, so that the hidden ones are checked too.
  const openHelp = (kind: ConversationKind) => JSON.parse(JSON.stringify(help(kind)).replaceAll('"isVisible":false', '"isVisible":true')) as AdaptiveCard;
  const welcome = (kind: ConversationKind) =>
    renderWelcomeCard({
      title: strings.welcome.title,
      body: kind === 'personal' ? strings.welcome.personal : kind === 'channel' ? strings.welcome.team : strings.welcome.groupChat,
      start: kind === 'personal' ? strings.welcome.start : strings.welcome.startMention,
    });
  return [
    { template: 'help', state: 'personal', card: help('personal') },
    { template: 'help', state: 'personal-open', card: openHelp('personal') },
    { template: 'help', state: 'channel', card: help('channel') },
    { template: 'help', state: 'group-chat', card: help('groupChat') },
    { template: 'welcome', state: 'personal', card: welcome('personal') },
    { template: 'welcome', state: 'channel', card: welcome('channel') },
    { template: 'welcome', state: 'group-chat', card: welcome('groupChat') },
    { template: 'languageChoice', state: 'choose', card: languageChoiceCard(language) },
    { template: 'languageChoice', state: 'chosen', card: languageChoiceCard(language, language) },
  ];
}

/** Every sample card, in Swedish and English. */
export function cardSamples(): CardSample[] {
  return LANGUAGES.flatMap((language) =>
    [
      ...goalDialogueSamples(language),
      ...groupSamples(language),
      ...generalSamples(language),
      ...goalMapSamples(language),
      ...schoolFocusSamples(language),
      ...followUpSamples(language),
      ...followUpRoundsSamples(language),
      ...networkSamples(language),
      ...nudgeSamples(language),
      ...indicatorSamples(language),
      ...resultDialogueSamples(language),
    ]
      .map((sample) => ({ ...sample, language }))
      .concat(bigGroupSamples(language)),
  );
}
