/**
 * The cards of groups across schools and of the fokusområde in the
 * principals' målsamtal, every state in one language; test/cards/fixtures.ts
 * gathers them with the others.
 */
import { cascadeFocusFormCard } from '../../src/cards/cascadeFocus';
import { goalSummaryCard } from '../../src/cards/goalViews';
import { checkInCard, checkInSummaryCard } from '../../src/cards/groupCheckInViews';
import { groupFormCard } from '../../src/cards/groupViews';
import type { AdaptiveCard } from '../../src/cards/render';
import type { Dialogue, GoalDraft } from '../../src/domain/goalDialogue';
import { aggregate, type Answer, type CheckIn, type CheckInView, type Group } from '../../src/domain/learningGroup';
import { groupFormSchema } from '../../src/domain/learningGroupFormRules';
import type { Person } from '../../src/domain/learningGroupService';
import { ORGANISATION_UNIT_ID } from '../../src/domain/organisation';
import { defaultCheckInQuestions, type Language, stringsFor } from '../../src/i18n';
import { mathsGroup, sampleAnswer, STAFF } from '../helpers/learningGroups';

const [lena, ali, britt, cecilia] = STAFF as [Person, Person, Person, Person];
const TIME_ZONE = 'Europe/Stockholm';
const areas = [
  { id: 'skua', title: 'Språk- och kunskapsutvecklande arbetssätt (SKUA)' },
  { id: 'matematik', title: 'Matematik' },
];

function acrossSchools(language: Language): Group {
  return mathsGroup(
    {
      name: language === 'sv' ? 'Matematik – utvecklingsgruppen' : 'Mathematics – development group',
      kind: 'utvecklingsgrupp',
      conversation: { conversationId: '19:rektorer@thread.tacv2', serviceUrl: 'https://smba.example/', kind: 'channel', botId: '28:bot', language },
      crossSchool: {
        area: { id: 'matematik', title: 'Matematik' },
        units: [
          { id: 'angsskolan', name: 'Ängsskolan F–9' },
          { id: 'norrskolan', name: 'Norrskolan' },
        ],
      },
      members: [
        { ...lena, role: 'rektor', unit: 'angsskolan' },
        { ...ali, role: 'lärare', unit: 'angsskolan' },
        { ...britt, role: 'lärare', unit: 'norrskolan' },
        { ...cecilia, role: 'lärare' },
      ],
      questions: defaultCheckInQuestions(language, { acrossSchools: true }),
    },
    language,
  );
}

function view(group: Group, answers: (c: CheckIn) => Answer[]): CheckInView {
  const checkIn: CheckIn = {
    id: `${group.id}~m2~before`,
    tenantId: group.tenantId,
    groupId: group.id,
    meetingId: 'm2',
    phase: 'before',
    questions: group.questions.before,
    members: group.members,
    postedAt: '2026-10-12T13:30:00.000Z',
    closesAt: '2026-10-13T13:30:00.000Z',
    status: 'open',
  };
  const list = answers(checkIn);
  return { group, checkIn, answers: list, aggregate: aggregate(checkIn, list, group.privacy) };
}

function unitAnswers(language: Language) {
  const sv = language === 'sv';
  return (c: CheckIn) => [
    sampleAnswer(c.id, lena, {
      atUnit: sv ? 'Vi har avsatt tid för ämneslagen att planera tillsammans varannan vecka' : 'We set aside time for the subject teams to plan together',
      tried: sv ? 'Exit tickets' : 'Exit tickets',
      happened: sv ? 'Fler elever förklarade' : 'More pupils explained',
      unit: 'angsskolan',
    }),
    sampleAnswer(c.id, ali, {
      atUnit: sv ? 'Mattestuga för åk 5 två eftermiddagar i veckan' : 'A maths club for year 5 two afternoons a week',
      tried: sv ? 'Gemensam problemlösning' : 'Shared problem solving',
      happened: sv ? 'Eleverna pratade matematik' : 'The pupils talked maths',
      unit: 'angsskolan',
    }),
    sampleAnswer(c.id, britt, {
      atUnit: sv ? 'Vi har prövat gemensam problemlösning i två klasser' : 'We tried shared problem solving in two classes',
      tried: sv ? 'Lärpar' : 'Learning pairs',
      happened: sv ? 'Lugnare lektioner' : 'Calmer lessons',
      unit: 'norrskolan',
    }),
  ];
}

const principalGoals: GoalDraft[] = [
  {
    schoolGoalIds: ['trygghet'],
    goal: 'Alla elever känner sig trygga på rasterna och i klassrummet',
    how: 'Rastvärdar och tydliga regler som eleverna är med och formar',
    evidence: 'Trygghetsenkäten varje termin',
    supportSkipped: true,
    followedUp: [],
  },
  {
    schoolGoalIds: ['resultat'],
    goal: 'Fler elever når kunskapskraven i matematik i åk 6',
    how: 'Ämneslagen planerar tillsammans och följer upp varje månad',
    evidence: 'Resultaten på de nationella proven och ämneslagens egna prov',
    supportSkipped: true,
    followedUp: [],
  },
];

function principalsDialogue(language: Language): Dialogue {
  return {
    id: 'dlg-rektorer',
    tenantId: 'tenant',
    schoolId: ORGANISATION_UNIT_ID,
    title: language === 'sv' ? 'Målsamtal med rektorerna HT 2026' : 'Goal dialogue with the principals autumn 2026',
    schoolGoals: [
      { id: 'trygghet', title: 'En skola där alla kan och vill vara – trygghet', serves: [] },
      { id: 'resultat', title: 'Förbättrade resultat – fler elever behöriga till gymnasiet', serves: [] },
    ],
    deadline: '2026-09-30',
    participants: [],
    reminders: { enabled: false, daysBefore: [] },
    principal: { aadObjectId: 'aad-vera', userId: '29:vera', name: 'Vera Verksamhetschef' },
    channel: { conversationId: '19:rektorer@thread.tacv2', serviceUrl: 'https://smba.example/' },
    status: 'open',
    createdAt: '2026-09-01T08:00:00.000Z',
  };
}

export function networkSamples(language: Language): { template: string; state: string; card: AdaptiveCard }[] {
  const strings = stringsFor(language);
  const group = acrossSchools(language);
  const form = groupFormSchema.parse({
    name: '',
    kind: 'utvecklingsgrupp',
    crossSchool: 'true',
    facilitator: lena.aadObjectId,
    members: 'aad-lena,aad-ali',
    dates: ['2026-09-15', '2026-10-13', '2026-11-24', '2027-02-09', '2027-04-20'],
  });
  const network = { choice: true, area: true, areas };
  const answered = view(group, unitAnswers(language));
  const focus = { title: 'Trygga raster och lugna övergångar', period: 'Läsåret 2026/27', why: 'Eleverna säger att rasterna är den otryggaste tiden.' };
  const dialogue = principalsDialogue(language);
  const cascade = (focusArea: Parameters<typeof goalSummaryCard>[3]['cascadeFocus']) =>
    goalSummaryCard(strings, dialogue, principalGoals, { readOnly: false, ...(focusArea ? { cascadeFocus: focusArea } : {}) });
  return [
    { template: 'learningGroupForm', state: 'new-across-schools', card: groupFormCard(strings, form, STAFF, { network }) },
    { template: 'learningGroupForm', state: 'new-across-schools-no-area', card: groupFormCard(strings, form, STAFF, { network, problems: ['area'] }) },
    {
      template: 'checkIn',
      state: 'across-schools-picks-unit',
      card: checkInCard(
        strings,
        language,
        TIME_ZONE,
        view(group, () => []),
        { mode: 'person', aadObjectId: cecilia.aadObjectId },
      ),
    },
    {
      template: 'checkIn',
      state: 'across-schools-unit-problem',
      card: checkInCard(
        strings,
        language,
        TIME_ZONE,
        view(group, () => []),
        {
          mode: 'person',
          aadObjectId: cecilia.aadObjectId,
          input: { atUnit: 'x' },
          problems: [{ questionId: 'unit', problem: 'required' }],
        },
      ),
    },
    { template: 'checkIn', state: 'across-schools-channel-counts', card: checkInCard(strings, language, TIME_ZONE, answered, { mode: 'group' }) },
    { template: 'checkInSummary', state: 'across-schools-per-unit', card: checkInSummaryCard(strings, language, answered, []) },
    {
      template: 'cascadeFocusForm',
      state: 'prefilled',
      card: cascadeFocusFormCard(strings, {
        dialogueId: dialogue.id,
        schools: 'Ängsskolan F–9',
        goals: principalGoals,
        values: { ...focus, goals: '1' },
        hasCurrent: true,
      }),
    },
    {
      template: 'cascadeFocusForm',
      state: 'problems',
      card: cascadeFocusFormCard(strings, {
        dialogueId: dialogue.id,
        schools: 'Ängsskolan F–9',
        goals: principalGoals,
        values: { title: '', period: '', why: '', goals: '' },
        hasCurrent: false,
        problems: { title: 'required' },
      }),
    },
    {
      template: 'goalSummary',
      state: 'principal-with-fokusområde',
      card: cascade({
        line: `${strings.network.focus.heading}: ${focus.title} · ${strings.network.focus.period(focus.period)}`,
        editLabel: strings.network.focus.change,
      }),
    },
  ];
}
