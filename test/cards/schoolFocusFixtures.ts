/**
 * The fokusområde and processkarta cards with realistic data, every state
 * in one language; test/cards/fixtures.ts gathers them with the others.
 */
import { goalPromptCard, goalSummaryCard } from '../../src/cards/goalViews';
import {
  focusAreaCard,
  focusAreaFormCard,
  focusAreaFormValues,
  processMapCard,
  processMapEditorCard,
  processStepFormCard,
} from '../../src/cards/schoolFocusViews';
import type { AdaptiveCard } from '../../src/cards/render';
import type { Dialogue } from '../../src/domain/goalDialogue';
import { FOCUS_LIMITS, MAX_PROCESS_STEPS, type ProcessStep, type SchoolFocusVersion } from '../../src/domain/schoolFocus';
import type { SchoolGoal } from '../../src/domain/schoolGoals';
import { type Language, stringsFor } from '../../src/i18n';

const school = { id: 'angsskolan', name: 'Ängsskolan F–9' };
const PRINCIPALS = ['29:rektor', '29:bitradande-rektor'];

const goal = (id: string, title: string, position: number, status: SchoolGoal['status'] = 'active'): SchoolGoal => ({
  schoolId: school.id,
  id,
  title,
  serves: ['ov-1'],
  status,
  position,
  version: 1,
  updatedAt: '2026-08-15T08:00:00.000Z',
  updatedBy: 'aad-rektor',
});

const goals = [
  goal('goal-1', 'Fler elever läser minst 20 minuter varje dag, i skolan och hemma', 0),
  goal('goal-2', 'Formativ bedömning i varje lektion: eleverna vet vad de ska lära sig och hur de ser att de lärt sig det', 1),
  goal('goal-3', 'Lugna övergångar mellan lektioner och raster', 2),
  goal('goal-old', 'Digitala verktyg i all undervisning', 3, 'retired'),
];
const active = goals.filter((g) => g.status === 'active');

const focus: SchoolFocusVersion<'focusArea'> = {
  schoolId: school.id,
  kind: 'focusArea',
  value: {
    title: 'Språk- och kunskapsutvecklande arbetssätt (SKUA) i alla ämnen',
    period: 'Läsåret 2026/27',
    why: 'Många elever behöver stöd i skolspråket för att nå målen i alla ämnen. Vi såg det i vårens resultat i svenska, SO och NO, och i elevernas egna beskrivningar av vad som är svårt.',
    goalIds: ['goal-1', 'goal-2', 'goal-old'],
  },
  version: 3,
  updatedAt: '2026-09-02T07:00:00.000Z',
  updatedBy: 'aad-rektor',
};

const steps: ProcessStep[] = [
  { what: 'Mentor ser att en elev har upprepad frånvaro eller inte når målen', who: 'Mentor', when: 'Samma vecka', withWhom: 'Elevhälsans kurator' },
  {
    what: 'Undervisande lärare prövar extra anpassningar och dokumenterar dem i lärplattformen',
    who: 'Undervisande lärare',
    when: 'Inom tre veckor',
    withWhom: '',
  },
  {
    what: 'Arbetslaget följer upp anpassningarna tillsammans',
    who: 'Arbetslaget med förstelärare',
    when: 'Vid nästa arbetslagsmöte',
    withWhom: 'Specialpedagog',
  },
  {
    what: 'Elevhälsoteamet utreder behovet av särskilt stöd',
    who: 'Rektor',
    when: 'Vid nästa elevhälsomöte',
    withWhom: 'Specialpedagog, skolsköterska, skolpsykolog',
  },
];
const map = (value: ProcessStep[], version = 4): SchoolFocusVersion<'processMap'> => ({
  schoolId: school.id,
  kind: 'processMap',
  value,
  version,
  updatedAt: '2026-09-03T07:00:00.000Z',
  updatedBy: 'aad-rektor',
});
const fullMap = map(Array.from({ length: MAX_PROCESS_STEPS }, (_, i) => ({ ...steps[i % steps.length]!, what: `${i + 1}: ${steps[i % steps.length]!.what}` })));
const longestMap = map(
  Array.from({ length: MAX_PROCESS_STEPS }, () => ({
    what: 'å'.repeat(FOCUS_LIMITS.what),
    who: 'b'.repeat(FOCUS_LIMITS.who),
    when: 'c'.repeat(FOCUS_LIMITS.when),
    withWhom: 'd'.repeat(FOCUS_LIMITS.withWhom),
  })),
);

function dialogue(language: Language): Dialogue {
  return {
    id: 'dlg-ht26',
    tenantId: 'tenant',
    schoolId: school.id,
    title: language === 'sv' ? 'Målsamtal HT 2026' : 'Goal dialogue autumn 2026',
    schoolGoals: active.map((g) => ({ id: g.id, title: g.title, serves: g.serves })),
    focusArea: { title: focus.value.title, why: focus.value.why },
    deadline: '2026-10-16',
    participants: [{ aadObjectId: 'aad-ali', userId: '29:ali', name: 'Ali Hassan', givenName: 'Ali' }],
    reminders: { enabled: true, daysBefore: [7, 2] },
    principal: { aadObjectId: 'aad-rektor', userId: '29:rektor', name: 'Rita Rektor' },
    channel: { conversationId: '19:larare@thread.tacv2', serviceUrl: 'https://smba.example/', language },
    status: 'open',
    createdAt: '2026-09-01T08:00:00.000Z',
  };
}

export function schoolFocusSamples(language: Language): { template: string; state: string; card: AdaptiveCard }[] {
  const strings = stringsFor(language);
  const inChannel = { canEdit: false, refreshUserIds: PRINCIPALS };
  const principal = { canEdit: true, refreshUserIds: ['29:rektor'] };
  const overview = new Map([['ov-1', 'Alla elever ska nå kunskapskraven i svenska']]);
  return [
    { template: 'focusArea', state: 'channel', card: focusAreaCard(strings, language, school, focus, goals, inChannel) },
    {
      template: 'focusArea',
      state: 'principal-saved',
      card: focusAreaCard(strings, language, school, focus, goals, principal, { text: strings.focus.area.saved, good: true }),
    },
    { template: 'focusArea', state: 'none-principal', card: focusAreaCard(strings, language, school, undefined, goals, { canEdit: true, refreshUserIds: [] }) },
    { template: 'focusAreaForm', state: 'filled', card: focusAreaFormCard(strings, school, focusAreaFormValues(focus.value), focus.version, active) },
    {
      template: 'focusAreaForm',
      state: 'problems',
      card: focusAreaFormCard(strings, school, { title: '', period: 'x'.repeat(FOCUS_LIMITS.period + 1), why: focus.value.why, goals: 'goal-1' }, 3, active, {
        title: 'required',
        period: 'tooLong',
        goals: 'unknownGoal',
      }),
    },
    {
      template: 'focusAreaForm',
      state: 'stale',
      card: focusAreaFormCard(strings, school, focusAreaFormValues(focus.value), 4, active, {}, strings.focus.area.stale),
    },
    { template: 'processMap', state: 'channel', card: processMapCard(strings, language, school, map(steps), inChannel) },
    { template: 'processMap', state: 'none-principal', card: processMapCard(strings, language, school, undefined, { canEdit: true, refreshUserIds: [] }) },
    { template: 'processMap', state: 'longest', card: processMapCard(strings, language, school, longestMap, inChannel) },
    {
      template: 'processMapEditor',
      state: 'steps-saved',
      card: processMapEditorCard(strings, school, map(steps), { text: strings.focus.editor.saved, good: true }),
    },
    { template: 'processMapEditor', state: 'empty', card: processMapEditorCard(strings, school, undefined) },
    { template: 'processMapEditor', state: 'full', card: processMapEditorCard(strings, school, fullMap) },
    { template: 'processMapEditor', state: 'stale', card: processMapEditorCard(strings, school, map(steps), { text: strings.focus.map.stale, good: false }) },
    { template: 'processMapStep', state: 'edit', card: processStepFormCard(strings, school, 4, 1, steps[1]!) },
    { template: 'processMapStep', state: 'new', card: processStepFormCard(strings, school, 4, -1, { what: '', who: '', when: '', withWhom: '' }) },
    {
      template: 'processMapStep',
      state: 'problems',
      card: processStepFormCard(
        strings,
        school,
        4,
        0,
        { ...steps[0]!, who: '', what: 'å'.repeat(FOCUS_LIMITS.what + 1) },
        { what: 'tooLong', who: 'required' },
      ),
    },
    {
      template: 'goalPrompt',
      state: 'with-focus-area',
      card: goalPromptCard(strings, language, dialogue(language), { name: 'Ali Hassan', givenName: 'Ali' }, overview),
    },
    { template: 'goalSummary', state: 'with-focus-area', card: goalSummaryCard(strings, dialogue(language), [], { readOnly: true }) },
  ];
}
