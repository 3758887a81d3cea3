import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInCard, checkInSummaryCard, learningLogCard } from '../../src/cards/groupCheckInViews';
import { formOfGroup, groupCard, groupChoiceCard, groupFormCard, questionEditorCard } from '../../src/cards/groupViews';
import { renderHelpCard } from '../../src/cards/help';
import type { AdaptiveCard } from '../../src/cards/render';
import { VERBS } from '../../src/cards/verbs';
import { renderWelcomeCard } from '../../src/cards/welcome';
import { aggregate, type Answer, type CheckIn, type Group } from '../../src/domain/learningGroup';
import { groupFormSchema } from '../../src/domain/learningGroupFormRules';
import type { CheckInView, Person } from '../../src/domain/learningGroupService';
import { defaultCheckInQuestions, stringsFor } from '../../src/i18n';
import { mathsGroup, sampleAnswer as answerTo, STAFF } from '../helpers/learningGroups';

describe('card templates', () => {
  test('when the welcome card is expanded then it carries the title, body and start line', () => {
    const card = renderWelcomeCard({ title: 'Hej', body: 'Jag hjälper dig', start: 'Skriv hjälp' });
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(card)).not.toContain('${');
    expect(card.body).toEqual([
      expect.objectContaining({ text: 'Hej' }),
      expect.objectContaining({ text: 'Jag hjälper dig' }),
      expect.objectContaining({ text: 'Skriv hjälp' }),
    ]);
  });

  test('when the help card is expanded with two commands then it lists both, each with its description', () => {
    const card = renderHelpCard({
      title: 'Det här kan du göra',
      intro: 'Skriv ett kommando.',
      shown: [
        {
          id: 'help-goals',
          heading: 'Dina mål',
          commands: [
            { usage: 'hjälp', description: 'Visar kortet.' },
            { usage: 'mina mål', description: 'Visar dina mål.' },
          ],
        },
      ],
      hidden: [],
      toggles: [],
      privacy: 'Privat.',
    });
    const section = card.body?.find((element) => (element as { id?: string }).id === 'help-goals') as { items: { items?: { text: string }[] }[] };
    expect(section.items.slice(1).map((command) => command.items?.map((block) => block.text))).toEqual([
      ['hjälp', 'Visar kortet.'],
      ['mina mål', 'Visar dina mål.'],
    ]);
    expect(JSON.stringify(card)).not.toContain('ActionSet');
  });

  test('when the help card has a section behind a button then the section is hidden and the button shows it', () => {
    const card = renderHelpCard({
      title: 'T',
      intro: 'I',
      shown: [],
      hidden: [{ id: 'help-more', heading: 'Fler kommandon', commands: [{ usage: 'paus', description: 'Pausar.' }] }],
      toggles: [{ title: 'Fler kommandon', target: 'help-more' }],
      privacy: 'P',
    });
    expect(card.body).toContainEqual(expect.objectContaining({ id: 'help-more', isVisible: false }));
    expect(card.body).toContainEqual(
      expect.objectContaining({ type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'Fler kommandon', targetElements: ['help-more'] }] }),
    );
  });

  test('when text with template-like characters is bound then it is shown as written', () => {
    const card = renderWelcomeCard({ title: 'Mål ${x} "citat" \\ ny\nrad', body: '<b>', start: '{}' });
    expect((card.body?.[0] as { text: string }).text).toBe('Mål ${x} "citat" \\ ny\nrad');
  });

  test('when the templates folder is read then every template is valid JSON and is expanded by a render function', () => {
    const dir = join(__dirname, '..', '..', 'adaptiveCards');
    const names = readdirSync(dir).filter((name) => name.endsWith('.json'));
    const sourceDir = join(__dirname, '..', '..', 'src', 'cards');
    const sources = readdirSync(sourceDir)
      .map((file) => readFileSync(join(sourceDir, file), 'utf8'))
      .join('\n');
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      const template = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { type?: string };
      expect(template.type).toBe('AdaptiveCard');
      expect(sources).toContain(`expandCard('${name.replace(/\.json$/, '')}'`);
    }
  });
});

describe('learning group cards', () => {
  const sv = stringsFor('sv');
  const en = stringsFor('en');
  const timeZone = 'Europe/Stockholm';
  const staff = STAFF.slice(0, 4);
  const [lena, ali, britt] = staff as [Person, Person, Person];

  const sampleGroup = (overrides: Partial<Group> = {}): Group => mathsGroup(overrides);

  const sampleAnswer = (checkIn: CheckIn, person: Person, values: Answer['values']): Answer => answerTo(checkIn.id, person, values);

  function sampleView(group: Group, answers: (c: CheckIn) => Answer[], overrides: Partial<CheckIn> = {}): CheckInView {
    const checkIn: CheckIn = {
      id: `${group.id}~m1~after`,
      tenantId: group.tenantId,
      groupId: group.id,
      meetingId: 'm1',
      phase: 'after',
      questions: group.questions.after,
      members: group.members,
      postedAt: '2026-09-15T15:00:00.000Z',
      closesAt: '2026-10-13T13:30:00.000Z',
      status: 'open',
      ...overrides,
    };
    const list = answers(checkIn);
    return { group, checkIn, answers: list, aggregate: aggregate(checkIn, list, group.privacy) };
  }

  const threeAnswers = (c: CheckIn) => [
    sampleAnswer(c, lena, { plan: 'Exit tickets i 5B', lookFor: 'Fler frågor', useful: 4 }),
    sampleAnswer(c, ali, { plan: 'Läsloggar i 4A', lookFor: 'Längre svar', useful: 5 }),
    sampleAnswer(c, britt, { plan: 'Bildstöd', lookFor: 'Lugnare start', useful: 5 }),
  ];

  /** Every element of a card, depth first. */
  function elements(node: unknown): Record<string, unknown>[] {
    if (Array.isArray(node)) return node.flatMap(elements);
    if (!node || typeof node !== 'object') return [];
    const record = node as Record<string, unknown>;
    return [record, ...Object.values(record).flatMap(elements)];
  }
  const ofType = (card: AdaptiveCard, type: string) => elements(card).filter((e) => e.type === type);
  const textsOf = (card: AdaptiveCard) => ofType(card, 'TextBlock').map((e) => String(e.text));

  test('when the group form is expanded with problems then it names them and carries an input per field and date', () => {
    const form = groupFormSchema.parse({
      name: '',
      kind: 'lärgrupp',
      facilitator: 'aad-lena',
      members: 'aad-lena,aad-ali',
      dates: ['2026-09-15', '2026-10-13'],
    });
    const card = groupFormCard(sv, form, staff, { problems: ['name', 'dates'] });
    expect(JSON.stringify(card)).not.toContain('${');
    const texts = textsOf(card);
    expect(texts).toEqual(
      expect.arrayContaining(['Ny lärgrupp', 'Något behöver rättas:', `• ${sv.groups.form.problems.name}`, `• ${sv.groups.form.problems.dates}`]),
    );
    const ids = elements(card)
      .filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.'))
      .map((e) => e.id);
    expect(ids).toEqual([
      'name',
      'kind',
      'subject',
      'grades',
      'facilitator',
      'members',
      'studentHealth',
      'treatment',
      'startTime',
      'endTime',
      'meetingCount',
      'date0',
      'date1',
      'privacy',
      'beforeLeadHours',
      'reminderLeadHours',
    ]);
    const members = elements(card).find((e) => e.id === 'members') as { value: string; choices: { title: string; value: string }[] };
    expect(members.value).toBe('aad-lena,aad-ali');
    expect(members.choices.map((c) => c.title)).toEqual(staff.map((p) => p.name));
    expect(elements(card).find((e) => e.id === 'date1')).toMatchObject({ type: 'Input.Date', label: 'Träff 2', value: '2026-10-13' });
    expect(card.actions).toEqual([expect.objectContaining({ type: 'Action.Execute', title: 'Skapa gruppen', verb: VERBS.groupSave })]);
  });

  test('when the form of an existing group is expanded in English then it is titled for editing and filled from the group', () => {
    const group = sampleGroup();
    const card = groupFormCard(en, formOfGroup(group), staff, { groupName: group.name, noSchoolDays: true });
    const texts = textsOf(card);
    expect(texts).toEqual(expect.arrayContaining(['Edit Matematik åk 4–6', en.groups.form.noSchoolDays]));
    expect(texts.some((t) => t.includes('Something needs fixing'))).toBe(false);
    expect(elements(card).find((e) => e.id === 'studentHealth')).toMatchObject({ value: 'aad-britt' });
    expect(ofType(card, 'Input.Date').map((e) => e.value)).toEqual(['2026-09-15', '2026-10-13', '2026-11-10']);
    expect(card.actions).toEqual([expect.objectContaining({ title: 'Save', data: { groupId: group.id } })]);
  });

  test('when the group card is expanded then it shows the kind, facilitator, next meeting, members with roles and past meetings', () => {
    const card = groupCard(
      sv,
      'sv',
      sampleGroup(),
      [
        { date: '2026-09-15', past: true, before: { answered: 3, members: 4 }, after: { answered: 2, members: 4 } },
        { date: '2026-10-13', past: false },
        { date: '2026-11-10', past: false },
      ],
      { kind: 'post', phase: 'before', date: '2026-10-13' },
      'editor',
    );
    expect(JSON.stringify(card)).not.toContain('${');
    expect(textsOf(card)).toEqual([
      'Matematik åk 4–6',
      'Lärgrupp · Matematik · åk 4–6',
      'Samtalsledare: Lena Lärare',
      'Nästa träff: 13 oktober 2026 15:30–17:00',
      'Medlemmar (4)',
      'Lena Lärare',
      'Ali Andersson',
      'Britt Berg (elevhälsa)',
      'Cecilia Ceder',
      'Tidigare träffar',
      '15 september 2026: före 3/4, efter 2/4',
      'Nästa incheckning: före träffen 13 oktober 2026.',
    ]);
    // The check-in's button sits under the line that names it; the others in the card's action row.
    const checkInButton = (card.body as { type: string }[] | undefined)?.find((e) => e.type === 'ActionSet') as { actions: unknown[] } | undefined;
    expect(checkInButton?.actions).toEqual([
      expect.objectContaining({ type: 'Action.Execute', title: 'Lägg ut incheckningen', verb: VERBS.groupCheckInNow, data: { groupId: '20260901-abcd1234' } }),
    ]);
    expect(card.actions).toEqual(
      [VERBS.groupLog, VERBS.groupEdit, VERBS.groupQuestions].map((verb) =>
        expect.objectContaining({ type: 'Action.Execute', verb, data: { groupId: '20260901-abcd1234' } }),
      ),
    );
  });

  test('when the group card is expanded for everyone then it has no editing buttons and refreshes for the samtalsledare, who gets them', () => {
    const meetings = [{ date: '2026-09-15', past: false }];
    const shared = groupCard(sv, 'sv', sampleGroup(), meetings, { kind: 'none' }, 'everyone');
    expect(shared.actions).toEqual([expect.objectContaining({ title: 'Logg', verb: VERBS.groupLog })]);
    expect(shared.refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Matematik åk 4–6', verb: VERBS.groupShow, data: { groupId: '20260901-abcd1234' } },
      userIds: ['29:lena'],
    });
    const facilitators = groupCard(sv, 'sv', sampleGroup(), meetings, { kind: 'none' }, 'editor');
    expect((facilitators.actions as { title: string }[]).map((a) => a.title)).toEqual(['Logg', 'Ändra gruppen', 'Ändra frågorna']);
  });

  test('when the group card has no check-in to post or show then it has no check-in button', () => {
    const card = groupCard(en, 'en', sampleGroup(), [{ date: '2026-09-15', past: true }], { kind: 'none' }, 'everyone');
    expect(JSON.stringify(card)).not.toContain(VERBS.groupCheckInNow);
    expect(textsOf(card).some((t) => t.includes('check-in'))).toBe(false);
  });

  test('when the group choice is expanded then each group is a button with the verb to follow', () => {
    const card = groupChoiceCard(en, [sampleGroup(), sampleGroup({ id: 'g2', name: 'Svenska åk 1–3' })], VERBS.groupLog);
    expect(textsOf(card)).toEqual(['Which group?']);
    // One button per row, so long group names are not cut on a phone.
    expect(ofType(card, 'ActionSet').flatMap((set) => set.actions as unknown[])).toEqual([
      { type: 'Action.Execute', title: 'Matematik åk 4–6', verb: VERBS.groupLog, data: { groupId: '20260901-abcd1234' } },
      { type: 'Action.Execute', title: 'Svenska åk 1–3', verb: VERBS.groupLog, data: { groupId: 'g2' } },
    ]);
  });

  test("when the group's check-in card is expanded then it shows the totals and refreshes for at most 60 members through Action.Execute", () => {
    const many = Array.from({ length: 70 }, (_, i) => ({ aadObjectId: `aad-${i}`, userId: `29:${i}`, name: `Lärare ${i}`, role: 'lärare' as const }));
    const group = sampleGroup({ members: [...sampleGroup().members, ...many] });
    const card = checkInCard(sv, 'sv', timeZone, sampleView(group, threeAnswers), { mode: 'group' });
    expect(JSON.stringify(card)).not.toContain('${');
    const refresh = card.refresh as { userIds: string[]; action: Record<string, unknown> };
    expect(refresh.userIds).toHaveLength(60);
    expect(refresh.userIds.slice(0, 2)).toEqual(['29:lena', '29:ali']);
    expect(refresh.action).toEqual({ type: 'Action.Execute', title: 'Svara', verb: VERBS.checkInView, data: { checkInId: '20260901-abcd1234~m1~after' } });
    const texts = textsOf(card);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Matematik åk 4–6: efter träffen 15 september 2026',
        'Öppen till 13 oktober 2026 15:30',
        '3 av 74 har svarat',
        'Nytta i snitt 4,7 av 5 (3 svar)',
        'Gruppens svar',
        '**Ali Andersson**: Läsloggar i 4A',
      ]),
    );
    expect(ofType(card, 'FactSet')[0]).toMatchObject({
      facts: [
        { title: '5', value: '■■ 2' },
        { title: '4', value: '■ 1' },
        { title: '3', value: ' 0' },
        { title: '2', value: ' 0' },
        { title: '1', value: ' 0' },
      ],
    });
    expect(ofType(card, 'Input.Text')).toEqual([]);
    // The 14 beyond the refresh list fetch their own view with a button.
    expect(card.actions).toEqual([
      { type: 'Action.Execute', title: 'Svara', verb: VERBS.checkInView, data: { checkInId: '20260901-abcd1234~m1~after' } },
      { type: 'Action.Execute', title: 'Uppdatera', verb: VERBS.checkInView, data: { checkInId: '20260901-abcd1234~m1~after' } },
    ]);
  });

  test("when a closed check-in's card is expanded for the group then it says so and carries no refresh and no button", () => {
    const card = checkInCard(en, 'en', timeZone, sampleView(sampleGroup(), threeAnswers, { status: 'closed' }), { mode: 'group' });
    expect(card.refresh).toBeUndefined();
    expect(textsOf(card)).toEqual(expect.arrayContaining(['The check-in is closed.', '3 of 4 have answered', 'Usefulness on average 4.7 of 5 (3 answers)']));
    expect(card.actions ?? []).toEqual([]);
  });

  test('when the personal form comes back with a problem then it has one input per question, the problem marked under its question', () => {
    const view = sampleView(sampleGroup(), () => []);
    const goalChoices = [{ title: 'Fler elever läser varje dag', value: 'goal-1' }];
    const card = checkInCard(sv, 'sv', timeZone, view, {
      mode: 'person',
      aadObjectId: ali.aadObjectId,
      goalChoices,
      input: { plan: '', lookFor: 'Fler frågor', useful: '4' },
      problems: [{ questionId: 'plan', problem: 'required' }],
    });
    expect(JSON.stringify(card)).not.toContain('${');
    expect(card.refresh).toBeUndefined();
    const inputs = elements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.'));
    expect(inputs.map((e) => [e.type, e.id])).toEqual([
      ['Input.Text', 'plan'],
      ['Input.Text', 'lookFor'],
      ['Input.ChoiceSet', 'useful'],
      ['Input.Text', 'support'],
      ['Input.ChoiceSet', 'goal'],
    ]);
    expect(inputs[1]).toMatchObject({ label: sv.groups.questions.after.lookFor, value: 'Fler frågor', isRequired: true });
    expect(inputs[2]).toMatchObject({
      value: '4',
      choices: ['1 – inte alls användbar', '2', '3', '4', '5 – mycket användbar'].map((title, i) => ({ title, value: String(i + 1) })),
    });
    expect(inputs[4]).toMatchObject({ choices: goalChoices });
    const fields = ofType(card, 'Container').filter(
      (c) => Array.isArray(c.items) && (c.items as Record<string, unknown>[]).some((i) => typeof i.id === 'string'),
    );
    const errorUnder = (id: string) =>
      (fields.find((f) => (f.items as Record<string, unknown>[]).some((i) => i.id === id))!.items as Record<string, unknown>[]).filter(
        (i) => i.type === 'TextBlock',
      );
    expect(errorUnder('plan')).toEqual([expect.objectContaining({ text: 'Den här frågan behöver ett svar.', color: 'Attention' })]);
    expect(errorUnder('lookFor')).toEqual([]);
    expect(textsOf(card)).toEqual(
      expect.arrayContaining(['Något behöver rättas innan svaret sparas:', `• ${sv.groups.questions.after.plan}: Den här frågan behöver ett svar.`]),
    );
    expect(card.actions ?? []).toEqual([]);
    expect(ofType(card, 'ActionSet').flatMap((set) => set.actions as unknown[])).toEqual([
      { type: 'Action.Execute', title: 'Skicka', verb: VERBS.checkInAnswer, data: { checkInId: view.checkIn.id } },
    ]);
  });

  test('when a member who has answered sees the check-in in English then their answer shows with an edit button and no form', () => {
    const group = sampleGroup({ questions: defaultCheckInQuestions('en') });
    const view = sampleView(group, (c) => [sampleAnswer(c, ali, { plan: 'Reading logs', lookFor: 'Longer answers', useful: 5, goal: 'goal-1' })]);
    const card = checkInCard(en, 'en', timeZone, view, {
      mode: 'person',
      aadObjectId: ali.aadObjectId,
      notice: en.groups.checkIn.thanks,
      goalChoices: [{ title: 'More pupils read daily', value: 'goal-1' }],
    });
    expect(ofType(card, 'Input.Text')).toEqual([]);
    expect(textsOf(card)).toEqual(
      expect.arrayContaining([
        'Thank you! Your answer is saved.',
        'Your answer',
        en.groups.questions.after.plan,
        'Reading logs',
        'More pupils read daily',
        '–',
      ]),
    );
    expect(card.actions).toEqual([expect.objectContaining({ title: 'Edit', verb: VERBS.checkInEdit })]);
  });

  test("when an anonymous group's check-in card and summary are expanded then no member's name appears, with few answers or many", () => {
    const group = sampleGroup({ privacy: 'anonymous' });
    const names = group.members.map((m) => m.name);
    const few = sampleView(group, (c) => threeAnswers(c).slice(0, 2));
    const enough = sampleView(group, threeAnswers);
    const fewCard = checkInCard(sv, 'sv', timeZone, few, { mode: 'group' });
    expect(textsOf(fewCard)).toContain(sv.groups.checkIn.fewAnswered);
    expect(ofType(fewCard, 'FactSet')).toEqual([]);
    const enoughCard = checkInCard(sv, 'sv', timeZone, enough, { mode: 'group' });
    expect(textsOf(enoughCard)).toEqual(expect.arrayContaining(['3 av 4 har svarat', 'Nytta i snitt 4,7 av 5 (3 svar)']));
    const summary = checkInSummaryCard(sv, 'sv', enough, [4]);
    expect(textsOf(summary)).toEqual(expect.arrayContaining([sv.groups.summary.anonymous, '• Läsloggar i 4A']));
    for (const card of [fewCard, enoughCard, summary, checkInSummaryCard(en, 'en', few, [])]) {
      const json = JSON.stringify(card);
      for (const name of names) expect(json).not.toContain(name);
    }
  });

  test('when the summary of a named check-in is expanded then it names who answered and who did not, and compares the rating', () => {
    const card = checkInSummaryCard(sv, 'sv', sampleView(sampleGroup(), threeAnswers), [3, 4]);
    expect(JSON.stringify(card)).not.toContain('${');
    expect(textsOf(card)).toEqual([
      'Sammanfattning: Matematik åk 4–6, efter träffen 15 september 2026',
      '3 av 4 svarade',
      'Svarade: Ali Andersson, Britt Berg, Lena Lärare',
      'Svarade inte: Cecilia Ceder',
      'Nytta 4,7 av 5 (tidigare träffar i snitt 3,5).',
      sv.groups.questions.after.plan,
      '• Ali Andersson: Läsloggar i 4A',
      '• Britt Berg: Bildstöd',
      '• Lena Lärare: Exit tickets i 5B',
      sv.groups.questions.after.lookFor,
      '• Ali Andersson: Längre svar',
      '• Britt Berg: Lugnare start',
      '• Lena Lärare: Fler frågor',
    ]);
  });

  test('when the learning log is expanded then it lists each meeting and draws a Chart.VerticalBar with a TextBlock fallback', () => {
    const group = sampleGroup({ privacy: 'totals' });
    const first = sampleView(group, threeAnswers);
    const second = sampleView(group, (c) => [sampleAnswer(c, lena, { plan: 'Mer bildstöd', lookFor: 'Ro', useful: 3 })], {
      id: `${group.id}~m2~after`,
      meetingId: 'm2',
    });
    const card = learningLogCard(sv, 'sv', group, 'Läsåret 2026/27', [first, second]);
    expect(JSON.stringify(card)).not.toContain('${');
    const chart = ofType(card, 'Chart.VerticalBar');
    expect(chart).toHaveLength(1);
    expect(chart[0]).toMatchObject({
      title: 'Nytta per träff (1–5)',
      // Short dates: an axis label like "15 september 2026" is cut on a phone.
      data: [
        { x: '15/9', y: 4.7 },
        { x: '13/10', y: 3 },
      ],
      fallback: { type: 'TextBlock', text: 'Nytta per träff: 15/9: 4,7 · 13/10: 3' },
    });
    const texts = textsOf(card);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Logg: Matematik åk 4–6',
        'Läsåret 2026/27 hittills',
        '15 september 2026 – efter: 3 av 4 · nytta 4,7',
        '13 oktober 2026 – efter: 1 av 4 · nytta 3',
        'Lärloggen: det här ska vi pröva',
        '• Exit tickets i 5B',
      ]),
    );
    for (const name of group.members.map((m) => m.name)) expect(JSON.stringify(card)).not.toContain(name);
  });

  test('when the learning log of a group without check-ins is expanded in English then it says so and draws no chart', () => {
    const card = learningLogCard(en, 'en', sampleGroup(), 'School year 2026/27', []);
    expect(textsOf(card)).toEqual(['Log: Matematik åk 4–6', 'School year 2026/27 so far', en.groups.log.empty]);
    expect(ofType(card, 'Chart.VerticalBar')).toEqual([]);
  });

  test("when the question editor is expanded for one meeting then it lists that meeting's questions with their required toggles", () => {
    const group = sampleGroup();
    group.meetings[1]!.questions.before = [{ id: 'egen', kind: 'text', label: 'Vad tar du med?', required: false }];
    const card = questionEditorCard(sv, 'sv', group, 'm2', 'before', sv.groups.editor.invalid);
    expect(JSON.stringify(card)).not.toContain('${');
    expect(textsOf(card)).toEqual(['Frågor i Matematik åk 4–6', sv.groups.editor.invalid]);
    expect(elements(card).find((e) => e.id === 'scope')).toMatchObject({
      value: 'm2',
      choices: [
        { title: 'Alla träffar', value: 'all' },
        { title: 'Bara träffen 15 september 2026', value: 'm1' },
        { title: 'Bara träffen 13 oktober 2026', value: 'm2' },
        { title: 'Bara träffen 10 november 2026', value: 'm3' },
      ],
    });
    expect(elements(card).find((e) => e.id === 'q0Label')).toMatchObject({ label: 'Fråga 1 (töm för att ta bort)', value: 'Vad tar du med?' });
    expect(elements(card).find((e) => e.id === 'q0Required')).toMatchObject({ type: 'Input.Toggle', value: 'false' });
    expect(elements(card).find((e) => e.id === 'q1Label')).toBeUndefined();
    // Loading sits under the choices it loads; saving is the card's one action.
    expect(ofType(card, 'ActionSet').flatMap((set) => set.actions as unknown[])).toEqual([
      expect.objectContaining({ verb: VERBS.groupQuestions, data: { groupId: group.id, load: true } }),
    ]);
    expect(card.actions).toEqual([
      expect.objectContaining({ title: 'Spara frågorna', verb: VERBS.groupSaveQuestions, data: { groupId: group.id, shown: 'm2|before' } }),
    ]);
  });
});
