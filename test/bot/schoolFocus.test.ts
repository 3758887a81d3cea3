import type { Activity } from 'botbuilder';
import { VERBS } from '../../src/cards/verbs';
import { cardAction, channelMention, type Person, person, personalMessage, PRINCIPAL } from '../helpers/activities';
import { allActionsOf, cardOf, cardText, elementsOf, invokeCard, invokeText, labelsOf, submission } from '../helpers/cards';
import { rosterOf, START_FORM_VALUES, writeGoalByTyping } from '../helpers/goalDialogue';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * The school's fokusområde and processkarta through app.run: shown in the
 * staff channel to everyone, edited by the principal from the card, every
 * edit checked on the server (a teacher or another school's principal who
 * crafts the invoke is refused and nothing changes), a card that showed an
 * older version refused, and the fokusområde carried into the teachers'
 * goal dialogue.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const anna = person('Anna Lindqvist', 1);
const erik = person('Erik Johansson', 2);
/** Norrskolan's principal in the demo organisation file. */
const NILS: Person = { id: '29:norrskolan-nils-norberg', aadObjectId: '00000000-0000-4000-8000-00000000d002', name: 'Nils Norberg' };
const roster = rosterOf([PRINCIPAL, anna, erik]);

const SEEDED_TITLE = 'Språk- och kunskapsutvecklande arbetssätt (SKUA)';
const ONLY_PRINCIPAL_FOCUS = 'Bara skolans rektor kan ändra fokusområdet. Ingenting har ändrats.';
const ONLY_PRINCIPAL_MAP = 'Bara skolans rektor kan ändra processkartan. Ingenting har ändrats.';

const press = (bot: ConversationHarness, from: Person, verb: string, data: Record<string, unknown>, where: 'channel' | 'personal' = 'channel') =>
  bot.send(cardAction({ serviceUrl, from, verb, data, where }));
const verbsOf = (card: Partial<Activity> | undefined) => allActionsOf(card).map((action) => action.verb);

describe('the fokusområde in Teams', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  const current = () => bot.stores.schoolFocus.current('exempelskolan', 'focusArea');

  /** The principal's form, opened from her view of the card. */
  async function openForm(from: Person = PRINCIPAL) {
    return invokeCard(await press(bot, from, VERBS.focusAreaEdit, { schoolId: 'exempelskolan' }));
  }

  test('when a teacher writes "@Målbild fokusområde" in the staff channel then everyone sees the seeded fokusområde, without Ändra, refreshed for the principal only', async () => {
    const [reply] = await bot.send(channelMention({ serviceUrl, from: anna, text: 'fokusområde' }));
    const text = cardText(reply);
    expect(text).toContain('Fokusområde · Exempelskolan');
    expect(text).toContain(SEEDED_TITLE);
    expect(text).toContain('Läsåret 2026/27');
    expect(text).toContain('Många elever behöver stöd i skolspråket');
    expect(text).toContain('2.\u00a0Fler elever når kunskapskraven i svenska och matematik i åk 6');
    expect(cardOf(reply)?.actions).toEqual([]);
    expect(cardOf(reply)?.refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Visa', verb: VERBS.focusAreaShow, data: { schoolId: 'exempelskolan' } },
      userIds: [PRINCIPAL.id],
    });
  });

  test('when the principal writes "focus area" in English then the card is in English', async () => {
    const [reply] = await bot.send({ ...channelMention({ serviceUrl, from: PRINCIPAL, text: 'focus area' }), locale: 'en-US' });
    expect(cardText(reply)).toContain('Focus area · Exempelskolan');
    expect(cardOf(reply)?.refresh).toMatchObject({ userIds: [PRINCIPAL.id] });
  });

  test("when the card refreshes then the principal's view has Ändra and a teacher's has not", async () => {
    const principalView = invokeCard(await press(bot, PRINCIPAL, VERBS.focusAreaShow, { schoolId: 'exempelskolan' }));
    expect(verbsOf(principalView)).toContain(VERBS.focusAreaEdit);
    const teacherView = invokeCard(await press(bot, anna, VERBS.focusAreaShow, { schoolId: 'exempelskolan' }));
    expect(cardText(teacherView)).toContain(SEEDED_TITLE);
    expect(verbsOf(teacherView)).not.toContain(VERBS.focusAreaEdit);
  });

  test('when the principal changes the fokusområde from the card then it is saved as version 2 and the card says so', async () => {
    const form = await openForm();
    expect(labelsOf(form)).toEqual(['Fokusområde', 'Period (frivilligt)', 'Varför just det här? (frivilligt)', 'Skolans mål som fokusområdet bidrar till']);
    const title = elementsOf(cardOf(form), (e) => e.id === 'title')[0];
    expect(title).toMatchObject({ isRequired: true, errorMessage: 'Skriv vad fokusområdet är.', maxLength: 200, value: SEEDED_TITLE });
    const data = submission(form, VERBS.focusAreaSave, { title: 'Läsning i alla ämnen', why: 'Eleverna läser för lite.', goals: 'studiero,las-och-skriv' });
    const replies = await press(bot, PRINCIPAL, VERBS.focusAreaSave, data);
    const text = invokeText(replies);
    expect(text).toContain('Fokusområdet är sparat.');
    expect(text).toContain('Läsning i alla ämnen');
    expect(text).toContain('1.\u00a0Alla elever upplever studiero');
    expect(text).toContain('Version 2');
    expect((await current())?.value).toEqual({
      title: 'Läsning i alla ämnen',
      period: 'Läsåret 2026/27',
      why: 'Eleverna läser för lite.',
      goalIds: ['studiero', 'las-och-skriv'],
    });
    const history = await bot.stores.schoolFocus.history('exempelskolan', 'focusArea');
    expect(history.map((entry) => [entry.version, entry.value.title, entry.updatedBy])).toEqual([
      [1, SEEDED_TITLE, 'organisation file'],
      [2, 'Läsning i alla ämnen', PRINCIPAL.aadObjectId],
    ]);
    expect(JSON.stringify(bot.logLines.filter((line) => Number(line.level) > 20))).not.toContain('Läsning i alla ämnen');
  });

  test('when the form is submitted from an older version then it is refused with a clear message, shows what is saved now, and nothing changes', async () => {
    const first = await openForm();
    const second = await openForm();
    await press(bot, PRINCIPAL, VERBS.focusAreaSave, submission(second, VERBS.focusAreaSave, { title: 'Det som sparades först' }));
    const replies = await press(bot, PRINCIPAL, VERBS.focusAreaSave, submission(first, VERBS.focusAreaSave, { title: 'Från ett gammalt kort' }));
    const stale = invokeCard(replies);
    expect(cardText(stale)).toContain('Någon annan ändrade fokusområdet medan du skrev.');
    expect(elementsOf(cardOf(stale), (e) => e.id === 'title')[0]?.value).toBe('Det som sparades först');
    expect((await current())?.value.title).toBe('Det som sparades först');
    expect((await current())?.version).toBe(2);
  });

  test("when the form has an empty title, a too long period and a goal that is not the school's then each problem is said next to its field and nothing is saved", async () => {
    const form = await openForm();
    const replies = await press(
      bot,
      PRINCIPAL,
      VERBS.focusAreaSave,
      submission(form, VERBS.focusAreaSave, { title: '  ', period: 'x'.repeat(101), goals: 'studiero,finns-inte' }),
    );
    const card = cardOf(invokeCard(replies));
    const body = JSON.stringify(card);
    expect(cardText(invokeCard(replies))).toContain('Rätta det som är markerat. Ingenting är sparat.');
    const errors = elementsOf(card, (e) => e.color === 'Attention').map((e) => e.text);
    expect(errors).toEqual(['Skriv vad fokusområdet är.', 'Texten är för lång. Högst 100 tecken.']);
    expect(body).toContain('x'.repeat(101));
    const tooMany = await press(bot, PRINCIPAL, VERBS.focusAreaSave, submission(form, VERBS.focusAreaSave, { goals: 'studiero,finns-inte' }));
    expect(elementsOf(cardOf(invokeCard(tooMany)), (e) => e.color === 'Attention').map((e) => e.text)).toEqual(['Välj bland skolans aktiva mål.']);
    expect((await current())?.version).toBe(1);
    expect((await current())?.value.title).toBe(SEEDED_TITLE);
  });

  test('when a teacher crafts the edit and the save then both are refused on the server and nothing changes', async () => {
    expect(invokeText(await press(bot, anna, VERBS.focusAreaEdit, { schoolId: 'exempelskolan' }))).toBe(ONLY_PRINCIPAL_FOCUS);
    const replies = await press(bot, anna, VERBS.focusAreaSave, {
      schoolId: 'exempelskolan',
      version: 1,
      title: 'Lärarens eget',
      period: '',
      why: '',
      goals: '',
    });
    expect(invokeCard(replies)).toBeUndefined();
    expect(invokeText(replies)).toBe(ONLY_PRINCIPAL_FOCUS);
    expect((await current())?.value.title).toBe(SEEDED_TITLE);
  });

  test("when Norrskolan's principal crafts a save for Exempelskolan then it is refused and nothing changes", async () => {
    const replies = await press(
      bot,
      NILS,
      VERBS.focusAreaSave,
      { schoolId: 'exempelskolan', version: 1, title: 'Norrskolans idé', period: '', why: '', goals: '' },
      'personal',
    );
    expect(invokeText(replies)).toBe(ONLY_PRINCIPAL_FOCUS);
    expect((await current())?.value.title).toBe(SEEDED_TITLE);
    expect(await bot.stores.schoolFocus.history('exempelskolan', 'focusArea')).toHaveLength(1);
  });

  test('when the principal writes "fokusområde" in her 1:1 chat then she gets the card with Ändra; a teacher is pointed to the staff team', async () => {
    const [card] = await bot.send(personalMessage({ serviceUrl, from: PRINCIPAL, text: 'fokusområde' }));
    expect(verbsOf(card)).toEqual([VERBS.focusAreaEdit]);
    expect(cardOf(card)?.refresh).toBeUndefined();
    const [pointer] = await bot.send(personalMessage({ serviceUrl, from: anna, text: 'fokusområde' }));
    expect(pointer?.text).toContain('Skriv **@Målbild fokusområde** eller **@Målbild processkarta** i skolans personalteam.');
  });

  test("when a dialogue starts then it carries the fokusområde, and a teacher's summary shows it", async () => {
    const form = await openForm();
    await press(bot, PRINCIPAL, VERBS.focusAreaSave, submission(form, VERBS.focusAreaSave, { title: 'Läsning i alla ämnen', why: 'Eleverna läser för lite.' }));
    await press(bot, PRINCIPAL, VERBS.dialogueStart, START_FORM_VALUES);
    const dialogue = bot.effects.started[0]!;
    expect(dialogue.focusArea).toEqual({ title: 'Läsning i alla ämnen', why: 'Eleverna läser för lite.' });
    const post = async (activity: unknown) => JSON.stringify(await bot.send(activity as object));
    const confirmed = await writeGoalByTyping(post, serviceUrl, anna, dialogue.id, {
      goal: 'Eleverna förklarar sina lösningar muntligt för en kamrat varje vecka',
      how: 'Jag inleder varje lektion med ett gemensamt problem och strukturerade samtal',
      evidence: 'Jag följer elevernas förklaringar i exit tickets och i samtalen',
    });
    expect(confirmed).toContain('Skolans fokusområde: **Läsning i alla ämnen** – Eleverna läser för lite.');
  });
});

describe('the processkarta in Teams', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  const steps = async () => (await bot.stores.schoolFocus.current('exempelskolan', 'processMap'))?.value.map((step) => step.what);
  const version = async () => (await bot.stores.schoolFocus.current('exempelskolan', 'processMap'))?.version;
  const SEEDED = [
    'Mentor ser att en elev har upprepad frånvaro eller inte når målen',
    'Undervisande lärare prövar extra anpassningar och dokumenterar dem',
    'Elevhälsoteamet utreder behovet av särskilt stöd',
  ];

  async function openEditor() {
    return invokeCard(await press(bot, PRINCIPAL, VERBS.processMapEdit, { schoolId: 'exempelskolan' }));
  }

  test('when someone writes "@Målbild processkarta" in the staff channel then the steps read in order with who, when and with whom', async () => {
    const [reply] = await bot.send(channelMention({ serviceUrl, from: erik, text: 'processkarta' }));
    const text = cardText(reply);
    expect(text).toContain('Processkarta · Exempelskolan');
    expect(text).toContain(`1.\u00a0${SEEDED[0]}`);
    expect(text).toContain('**Vem:** Mentor');
    expect(text).toContain('**När:** Samma vecka');
    expect(text).toContain('**Med från elevhälsan:** Elevhälsans kurator');
    expect(text.indexOf(SEEDED[0]!)).toBeLessThan(text.indexOf(SEEDED[2]!));
    expect(cardOf(reply)?.actions).toEqual([]);
    expect(cardOf(reply)?.refresh).toMatchObject({ userIds: [PRINCIPAL.id] });
  });

  test('when the principal opens the editor then every step has at most three actions and the first cannot move up', async () => {
    const editor = await openEditor();
    const sets = elementsOf(cardOf(editor), (e) => e.type === 'ActionSet') as { actions: { verb: string }[] }[];
    expect(sets.map((set) => set.actions.map((a) => a.verb))).toEqual([
      [VERBS.processMapStep, VERBS.processMapRemove],
      [VERBS.processMapStep, VERBS.processMapRemove, VERBS.processMapMoveUp],
      [VERBS.processMapStep, VERBS.processMapRemove, VERBS.processMapMoveUp],
    ]);
  });

  test('when the principal moves, edits, adds and removes steps then each change is a new version and the editor says what happened', async () => {
    let editor = await openEditor();
    const third = allActionsOf(editor).find((a) => a.verb === VERBS.processMapMoveUp && a.data.index === 2)!;
    let replies = await press(bot, PRINCIPAL, VERBS.processMapMoveUp, third.data);
    expect(invokeText(replies)).toContain('Steget är flyttat upp.');
    expect(await steps()).toEqual([SEEDED[0], SEEDED[2], SEEDED[1]]);

    editor = invokeCard(replies);
    const edit = allActionsOf(editor).find((a) => a.verb === VERBS.processMapStep && a.data.index === 0)!;
    const form = invokeCard(await press(bot, PRINCIPAL, VERBS.processMapStep, edit.data));
    expect(labelsOf(form)).toEqual(['Vad händer?', 'Vem gör det?', 'När?', 'Vem från elevhälsan är med? (frivilligt)']);
    replies = await press(bot, PRINCIPAL, VERBS.processMapSaveStep, submission(form, VERBS.processMapSaveStep, { when: 'Inom två dagar' }));
    expect(invokeText(replies)).toContain('Steget är sparat.');

    const add = allActionsOf(invokeCard(replies)).find((a) => a.verb === VERBS.processMapStep && a.data.index === -1)!;
    const blank = invokeCard(await press(bot, PRINCIPAL, VERBS.processMapStep, add.data));
    replies = await press(
      bot,
      PRINCIPAL,
      VERBS.processMapSaveStep,
      submission(blank, VERBS.processMapSaveStep, { what: 'Uppföljning med vårdnadshavare', who: 'Mentor', when: 'Efter sex veckor' }),
    );
    expect(await steps()).toEqual([SEEDED[0], SEEDED[2], SEEDED[1], 'Uppföljning med vårdnadshavare']);

    const remove = allActionsOf(invokeCard(replies)).find((a) => a.verb === VERBS.processMapRemove && a.data.index === 1)!;
    replies = await press(bot, PRINCIPAL, VERBS.processMapRemove, remove.data);
    expect(invokeText(replies)).toContain('Steget är borttaget.');
    expect(await steps()).toEqual([SEEDED[0], SEEDED[1], 'Uppföljning med vårdnadshavare']);
    const map = await bot.stores.schoolFocus.current('exempelskolan', 'processMap');
    expect(map?.value[0]?.when).toBe('Inom två dagar');
    expect((await bot.stores.schoolFocus.history('exempelskolan', 'processMap')).map((entry) => entry.version)).toEqual([1, 2, 3, 4, 5]);
  });

  test('when a button of an older editor is pressed then it is refused with a clear message, the current steps are shown and nothing changes', async () => {
    const old = await openEditor();
    const moveUp = allActionsOf(old).find((a) => a.verb === VERBS.processMapMoveUp && a.data.index === 1)!;
    await press(bot, PRINCIPAL, VERBS.processMapMoveUp, moveUp.data);
    const remove = allActionsOf(old).find((a) => a.verb === VERBS.processMapRemove && a.data.index === 0)!;
    const replies = await press(bot, PRINCIPAL, VERBS.processMapRemove, remove.data);
    expect(invokeText(replies)).toContain('Någon annan ändrade processkartan.');
    expect(await steps()).toEqual([SEEDED[1], SEEDED[0], SEEDED[2]]);
    expect(await version()).toBe(2);
  });

  test('when a step is saved without who and with a too long what then each problem is said next to its field and nothing changes', async () => {
    const editor = await openEditor();
    const edit = allActionsOf(editor).find((a) => a.verb === VERBS.processMapStep && a.data.index === 1)!;
    const form = invokeCard(await press(bot, PRINCIPAL, VERBS.processMapStep, edit.data));
    const replies = await press(bot, PRINCIPAL, VERBS.processMapSaveStep, submission(form, VERBS.processMapSaveStep, { what: 'y'.repeat(501), who: '' }));
    const errors = elementsOf(cardOf(invokeCard(replies)), (e) => e.color === 'Attention').map((e) => e.text);
    expect(errors).toEqual(['Texten är för lång. Högst 500 tecken.', 'Skriv vem som gör det.']);
    expect(await steps()).toEqual(SEEDED);
    expect(await version()).toBe(1);
  });

  test("when a teacher or Norrskolan's principal crafts editor actions then they are refused and nothing changes", async () => {
    const ref = { schoolId: 'exempelskolan', version: 1, index: 1 };
    expect(invokeText(await press(bot, anna, VERBS.processMapEdit, { schoolId: 'exempelskolan' }))).toBe(ONLY_PRINCIPAL_MAP);
    expect(invokeText(await press(bot, anna, VERBS.processMapRemove, ref))).toBe(ONLY_PRINCIPAL_MAP);
    expect(invokeText(await press(bot, anna, VERBS.processMapSaveStep, { ...ref, what: 'Annat', who: 'Jag', when: 'Nu', withWhom: '' }))).toBe(
      ONLY_PRINCIPAL_MAP,
    );
    expect(invokeText(await press(bot, NILS, VERBS.processMapMoveUp, ref, 'personal'))).toBe(ONLY_PRINCIPAL_MAP);
    expect(await steps()).toEqual(SEEDED);
    expect(await version()).toBe(1);
  });
});
