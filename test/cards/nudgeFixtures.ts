/**
 * The puffar cards with realistic data, every state in one language;
 * test/cards/fixtures.ts gathers them with the others.
 */
import { formChoices, nudgeCard, nudgeFormCard, nudgeListCard } from '../../src/cards/nudges';
import type { AdaptiveCard } from '../../src/cards/render';
import { type Nudge, nudgeFormSchema, NUDGE_TEXT_MAX } from '../../src/domain/nudges';
import { type Language, stringsFor } from '../../src/i18n';

const TIME_ZONE = 'Europe/Stockholm';
const QUIET = { from: '18:00', to: '07:00' };

const ties = [
  { value: 'focus|angsskolan', tie: { kind: 'focusArea' as const, schoolId: 'angsskolan', title: 'Läsförståelse i alla ämnen' } },
  {
    value: 'goal|angsskolan|goal-1',
    tie: { kind: 'schoolGoal' as const, schoolId: 'angsskolan', goalId: 'goal-1', title: 'Fler elever läser minst 20 minuter varje dag, i skolan och hemma' },
  },
  {
    value: 'goal|angsskolan|goal-2',
    tie: {
      kind: 'schoolGoal' as const,
      schoolId: 'angsskolan',
      goalId: 'goal-2',
      title: 'Formativ bedömning i varje lektion: eleverna vet vad de ska lära sig och hur de ser att de lärt sig det',
    },
  },
  { value: 'area|skua', tie: { kind: 'developmentArea' as const, areaId: 'skua', title: 'Språk- och kunskapsutvecklande arbetssätt (SKUA)' } },
];
const audiences = [
  {
    value: 'here',
    audience: { kind: 'conversation' as const, conversationId: '19:angs@thread.tacv2', serviceUrl: 'https://smba.example/', name: 'Ängsskolan F–9' },
  },
  { value: 'dialogue|d1', audience: { kind: 'dialogue' as const, dialogueId: 'd1', name: 'Målsamtal HT 2026' } },
];

const LONG_TEXT =
  `Pröva i veckan att låta eleverna sammanfatta dagens text för en kamrat innan de skriver. ${'Lyssna efter de ord de använder. '.repeat(20)}`.slice(
    0,
    NUDGE_TEXT_MAX,
  );

function nudge(overrides: Partial<Nudge>): Nudge {
  return {
    id: 'nudge-20261009-0123456789',
    tenantId: 'tenant',
    text: 'Läs högt för eleverna i fem minuter och be dem återberätta för en kamrat.',
    link: 'https://www.skolverket.se/las-och-skriv',
    tie: ties[0]!.tie,
    audience: audiences[0]!.audience,
    schedule: { kind: 'series', from: '2026-10-12', to: '2026-12-14', everyWeeks: 2, time: '08:00' },
    unitId: 'angsskolan',
    createdBy: { aadObjectId: 'aad-rektor', name: 'Rut Rektorsson' },
    createdIn: '19:angs@thread.tacv2',
    language: 'sv',
    status: 'active',
    next: { date: '2026-11-09', at: '2026-11-09T07:00:00.000Z' },
    sentCount: 2,
    createdAt: '2026-10-09T08:00:00.000Z',
    updatedAt: '2026-10-26T07:00:00.000Z',
    ...overrides,
  };
}

export function nudgeSamples(language: Language): { template: string; state: string; card: AdaptiveCard }[] {
  const strings = stringsFor(language);
  const choices = formChoices(strings, { ties, audiences });
  const empty = nudgeFormSchema.parse({ date: '2026-10-12', time: '08:00', audience: 'here' });
  const typed = nudgeFormSchema.parse({
    text: '',
    link: 'http://exempel.se',
    tie: '',
    audience: 'here',
    repeat: 'series',
    date: '2026-10-12',
    to: '2026-10-01',
    everyWeeks: '9',
    time: '19:30',
  });
  const many = Array.from({ length: 22 }, (_, i) =>
    nudge({
      id: `nudge-${i}`,
      text: i === 0 ? LONG_TEXT : nudge({}).text,
      status: i % 3 === 1 ? 'paused' : i % 3 === 2 ? 'finished' : 'active',
      ...(i % 3 === 0 ? {} : { next: undefined }),
      tie: ties[i % ties.length]!.tie,
      audience: audiences[i % audiences.length]!.audience,
    }),
  );
  return [
    { template: 'nudgeForm', state: 'new', card: nudgeFormCard(strings, '20261009-0123456789', choices, empty, QUIET) },
    {
      template: 'nudgeForm',
      state: 'refused',
      card: nudgeFormCard(strings, '20261009-0123456789', choices, typed, QUIET, {
        text: 'required',
        link: 'notHttps',
        tie: 'required',
        to: 'beforeFrom',
        everyWeeks: 'badNumber',
        time: 'quietTime',
      }),
    },
    { template: 'nudge', state: 'with-link', card: nudgeCard(strings, nudge({})) },
    { template: 'nudge', state: 'long-no-link', card: nudgeCard(strings, nudge({ text: LONG_TEXT, link: undefined, tie: ties[2]!.tie })) },
    { template: 'nudgeList', state: 'none', card: nudgeListCard(strings, language, TIME_ZONE, [], { personal: true }) },
    { template: 'nudgeList', state: 'none-to-read', card: nudgeListCard(strings, language, TIME_ZONE, [], { personal: false, mayCreate: false }) },
    {
      template: 'nudgeList',
      state: 'twenty-two',
      card: nudgeListCard(strings, language, TIME_ZONE, many, { personal: false, notice: { text: strings.nudges.paused, good: true } }),
    },
  ];
}
