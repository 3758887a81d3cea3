import { VERBS } from '../../src/cards/verbs';
import type { Participation } from '../../src/domain/goalDialogue';
import { cardAction, channelMention, person, personalMessage, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { allActionsOf, cardText, invokeCard, invokeText, messagesIn } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';
import { longAnswer, rosterOf, START_FORM_VALUES } from '../helpers/goalDialogue';

/**
 * The principal's hand on a running målsamtal, through the bot's front
 * door: closing asks first with the numbers, a closed dialogue opens again,
 * one teacher gets a reminder, a school goal is retired after a question.
 * Every effect happens once, whether the principal presses twice or Teams
 * delivers the same press again.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const teachers = [person('Anna Lindqvist', 1), person('Erik Johansson', 2), person('Fatima Hassan', 3)];
const [anna, erik, fatima] = teachers as [(typeof teachers)[0], (typeof teachers)[0], (typeof teachers)[0]];
const roster = rosterOf([PRINCIPAL, ...teachers]);

describe('the principal closes, reopens and reminds in her 1:1 chat', () => {
  let bot: ConversationHarness;
  let dialogueId: string;
  let clock: Date;
  const principalSays = (text: string) => bot.send(personalMessage({ serviceUrl, from: PRINCIPAL, text }));
  const principalPress = (verb: string, data: Record<string, unknown> = {}) =>
    cardAction({ serviceUrl, from: PRINCIPAL, verb, data: { dialogueId, ...data }, where: 'personal' });
  const principalPresses = (verb: string, data: Record<string, unknown> = {}) => bot.send(principalPress(verb, data));
  const teacherPresses = (teacher: typeof anna, verb: string, data: Record<string, unknown> = {}) =>
    bot.send(cardAction({ serviceUrl, from: teacher, verb, data: { dialogueId, ...data }, where: 'personal' }));
  const status = async () => (await bot.stores.goalDialogues.getDialogue(TENANT_ID, dialogueId))!.value.status;

  /** Sets a teacher's participation as if she had written (for the counts). */
  async function participationOf(teacher: typeof anna, changes: Partial<Participation>): Promise<void> {
    const stored = (await bot.stores.goalDialogues.getParticipation(dialogueId, teacher.aadObjectId))!;
    await bot.stores.goalDialogues.saveParticipation({ ...stored.value, ...changes }, stored.eTag);
  }

  beforeEach(async () => {
    clock = new Date('2026-09-01T08:00:00Z');
    bot = await conversationHarness({ members: roster, clock: () => clock });
    await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel', replyToId: 'form-1' }));
    dialogueId = bot.effects.started[0]!.id;
    // Anna has confirmed, Erik has started, Fatima has not.
    await participationOf(anna, { status: 'done', confirmedAt: '2026-09-01T07:30:00Z', startedAt: '2026-09-01T07:00:00Z', versions: 1 });
    await participationOf(erik, { status: 'in-progress', startedAt: '2026-08-31T12:00:00Z' });
  });

  test('when she presses close then the same card asks with the numbers, and nothing is closed yet', async () => {
    const replies = await principalPresses(VERBS.dialogueClose);
    const text = invokeText(replies);
    expect(text).toContain('2 av 3 har inte skrivit sina mål. Avsluta ändå?');
    expect(text).toContain('De som inte är klara får veta det i sin chatt med Målbild. Deras utkast finns kvar.');
    expect(allActionsOf(invokeCard(replies)).map((a) => a.title)).toEqual(expect.arrayContaining(['Avsluta', 'Avbryt']));
    expect(await status()).toBe('open');
    expect(bot.effects.closed).toEqual([]);
  });

  test('when one has not written then the question says 1 av 3; when everyone has then it asks simply', async () => {
    await participationOf(erik, { status: 'done', confirmedAt: '2026-09-01T07:45:00Z', versions: 1 });
    expect(invokeText(await principalPresses(VERBS.dialogueClose))).toContain('1 av 3 har inte skrivit sina mål. Avsluta ändå?');
    await participationOf(fatima, { status: 'done', confirmedAt: '2026-09-01T07:50:00Z', versions: 1 });
    const text = invokeText(await principalPresses(VERBS.dialogueClose));
    expect(text).toContain('Alla 3 har skrivit sina mål. Vill du avsluta målsamtalet?');
    expect(text).not.toContain('utkast');
  });

  test('when she presses Avbryt then the overview is back without the question and the dialogue stays open', async () => {
    await principalPresses(VERBS.dialogueClose);
    const text = invokeText(await principalPresses(VERBS.principalOverview));
    expect(text).not.toContain('Avsluta ändå?');
    expect(text).toContain('Avsluta målsamtalet');
    expect(await status()).toBe('open');
  });

  test('when she confirms then it is closed, and the two who had not finished are told once in their own chat', async () => {
    const replies = await principalPresses(VERBS.dialogueCloseConfirm);
    expect(messagesIn(replies)).toEqual(['Målsamtal HT 2026 är avslutat. Lärarna kan läsa sina mål men inte ändra dem.']);
    expect(invokeText(replies)).toContain('Öppna igen');
    expect(await status()).toBe('closed');
    expect(bot.effects.closed.map((c) => c.told.sort())).toEqual([[erik.aadObjectId, fatima.aadObjectId].sort()]);
    expect(invokeText(await teacherPresses(erik, VERBS.goalsBegin))).toContain('avslutat');
  });

  test('when she double-clicks Avsluta then it is closed once and told once', async () => {
    const [first, second] = await Promise.all([principalPresses(VERBS.dialogueCloseConfirm), principalPresses(VERBS.dialogueCloseConfirm)]);
    expect([...messagesIn(first), ...messagesIn(second)]).toHaveLength(1);
    expect(bot.effects.closed).toHaveLength(1);
    expect(await status()).toBe('closed');
  });

  test('when Teams delivers the same Avsluta again then it takes effect once', async () => {
    const press = principalPress(VERBS.dialogueCloseConfirm);
    await bot.send(press);
    const again = await bot.send(press);
    expect(messagesIn(again)).toEqual([]);
    expect(bot.effects.closed).toHaveLength(1);
  });

  test('when she reopens a closed dialogue then those who had not finished can go on and are told once', async () => {
    await principalPresses(VERBS.dialogueCloseConfirm);
    const replies = await principalPresses(VERBS.dialogueReopen);
    expect(messagesIn(replies)[0]).toContain('Målsamtal HT 2026 är öppet igen.');
    expect(await status()).toBe('open');
    expect(bot.effects.reopened.map((r) => r.told.sort())).toEqual([[erik.aadObjectId, fatima.aadObjectId].sort()]);
    expect(invokeText(await teacherPresses(erik, VERBS.goalsBegin))).toContain('Vilket eller vilka av skolans mål');
    // Pressed again: open already, nobody told twice.
    expect(messagesIn(await principalPresses(VERBS.dialogueReopen))).toEqual(['Målsamtal HT 2026 är redan öppet.']);
    expect(bot.effects.reopened).toHaveLength(1);
  });

  test('when she writes "öppna målsamtal igen" then her one closed dialogue opens again; with none she is told so', async () => {
    expect(messagesIn(await principalSays('öppna målsamtal igen'))).toEqual(['Du har inget avslutat målsamtal att öppna igen.']);
    await principalPresses(VERBS.dialogueCloseConfirm);
    expect(messagesIn(await principalSays('öppna målsamtal igen'))[0]).toContain('är öppet igen');
    expect(await status()).toBe('open');
  });

  test('when a teacher crafts close, reopen or remind then she is refused and nothing changes or is sent', async () => {
    for (const verb of [VERBS.dialogueClose, VERBS.dialogueCloseConfirm, VERBS.principalRemind]) {
      const replies = await teacherPresses(anna, verb, { teacher: fatima.aadObjectId });
      expect(invokeText(replies)).toMatch(/^Bara skolans rektor/);
      expect(invokeText(replies)).not.toContain('Fatima');
    }
    expect(await status()).toBe('open');
    await principalPresses(VERBS.dialogueCloseConfirm);
    expect(invokeText(await teacherPresses(anna, VERBS.dialogueReopen))).toMatch(/^Bara skolans rektor/);
    expect(messagesIn(await bot.send(personalMessage({ serviceUrl, from: anna, text: 'öppna målsamtal igen' })))[0]).toMatch(/^Bara skolans rektor/);
    expect(await status()).toBe('closed');
    expect(bot.effects.reopened).toEqual([]);
    expect(bot.effects.reminded).toEqual([]);
  });

  test('when she writes "visa mål" then each participant shows with the day they confirmed or started, and the talk held', async () => {
    await principalPresses(VERBS.principalNotes, { teacher: anna.aadObjectId, notes: 'Bra samtal', talkHeldOn: '2026-10-02' });
    const text = cardText((await principalSays('visa mål'))[0]);
    expect(text).toMatch(/Anna Lindqvist\nKlart, bekräftat tisdag 1 september\nSamtalet hölls fredag 2 oktober/);
    expect(text).toMatch(/Erik Johansson\nPåbörjat sedan måndag 31 augusti/);
    expect(text).toMatch(/Fatima Hassan\nInte påbörjat/);
  });

  test('when she reminds someone not started then one reminder goes, the card says so, and a second press the same day sends nothing', async () => {
    const first = await principalPresses(VERBS.principalRemind, { teacher: fatima.aadObjectId });
    expect(invokeText(first)).toContain('Påminnelsen till Fatima Hassan är skickad.');
    expect(invokeText(first)).toMatch(/Fatima Hassan\nInte påbörjat · Påmind i dag/);
    const remindButtons = allActionsOf(invokeCard(first)).filter((a) => a.verb === VERBS.principalRemind);
    expect(remindButtons.map((a) => a.data.teacher)).toEqual([erik.aadObjectId]);
    expect(bot.effects.reminded).toEqual([{ dialogueId, teacher: fatima.aadObjectId, day: '2026-09-01' }]);

    const again = await principalPresses(VERBS.principalRemind, { teacher: fatima.aadObjectId });
    expect(invokeText(again)).toContain('Fatima Hassan har redan fått en påminnelse i dag.');
    expect(bot.effects.reminded).toHaveLength(1);

    clock = new Date('2026-09-02T08:00:00Z');
    await principalPresses(VERBS.principalRemind, { teacher: fatima.aadObjectId });
    expect(bot.effects.reminded.map((r) => r.day)).toEqual(['2026-09-01', '2026-09-02']);
  });

  test('when she double-clicks Påminn then one reminder goes', async () => {
    await Promise.all([
      principalPresses(VERBS.principalRemind, { teacher: erik.aadObjectId }),
      principalPresses(VERBS.principalRemind, { teacher: erik.aadObjectId }),
    ]);
    expect(bot.effects.reminded).toHaveLength(1);
  });

  test('when she reminds someone who has confirmed then nothing is sent and the card says why', async () => {
    expect(invokeText(await principalPresses(VERBS.principalRemind, { teacher: anna.aadObjectId }))).toContain('Anna Lindqvist har redan bekräftat sina mål.');
    expect(bot.effects.reminded).toEqual([]);
  });
});

describe('the principal retires a school goal after a question', () => {
  let bot: ConversationHarness;
  const press = (verb: string, data: Record<string, unknown>) =>
    bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb, data: { schoolId: 'exempelskolan', ...data }, where: 'channel' }));
  const studiero = async () => (await bot.stores.schoolGoals.list('exempelskolan')).find((goal) => goal.id === 'studiero')!;

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => new Date('2026-09-01T08:00:00Z') });
  });

  test('when no teacher links to the goal then the question says so, and it is retired only after Avveckla', async () => {
    const asked = invokeText(await press(VERBS.schoolGoalRetire, { goalId: 'studiero', version: 1 }));
    expect(asked).toContain('Ingen lärare har kopplat egna mål till det här målet i pågående målsamtal. Vill du avveckla det?');
    expect((await studiero()).status).toBe('active');
    const cancelled = invokeText(await press(VERBS.schoolGoalsShow, {}));
    expect(cancelled).not.toContain('Vill du avveckla det?');
    expect(invokeText(await press(VERBS.schoolGoalRetireConfirm, { goalId: 'studiero', version: 1 }))).toContain('Avvecklade mål');
    expect((await studiero()).status).toBe('retired');
  });

  test("when a teacher's goals in an open dialogue link to it then the question counts her", async () => {
    await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel', replyToId: 'form-1' }));
    const dialogueId = bot.effects.started[0]!.id;
    await bot.send(cardAction({ serviceUrl, from: anna, verb: VERBS.goalsBegin, data: { dialogueId }, where: 'personal' }));
    await bot.send(personalMessage({ serviceUrl, from: anna, text: '1' }));
    await bot.send(personalMessage({ serviceUrl, from: anna, text: longAnswer('Mål') }));
    const asked = invokeText(await press(VERBS.schoolGoalRetire, { goalId: 'studiero', version: 1 }));
    expect(asked).toContain('1 lärare har kopplat egna mål till det här målet i ett pågående målsamtal. Avveckla ändå?');
    expect(asked).toContain('Lärarnas mål finns kvar som de är.');
  });

  test('when she double-clicks Avveckla then one new version is stored and both answers show it retired', async () => {
    const [first, second] = await Promise.all([
      press(VERBS.schoolGoalRetireConfirm, { goalId: 'studiero', version: 1 }),
      press(VERBS.schoolGoalRetireConfirm, { goalId: 'studiero', version: 1 }),
    ]);
    for (const replies of [first, second]) expect(invokeText(replies)).not.toContain('Någon annan ändrade');
    expect((await bot.stores.schoolGoals.history('exempelskolan', 'studiero')).map((goal) => goal.status)).toEqual(['active', 'retired']);
  });

  test('when a teacher crafts the retire confirmation then she is refused and nothing changes', async () => {
    const replies = await bot.send(
      cardAction({
        serviceUrl,
        from: anna,
        verb: VERBS.schoolGoalRetireConfirm,
        data: { schoolId: 'exempelskolan', goalId: 'studiero', version: 1 },
        where: 'channel',
      }),
    );
    expect(invokeText(replies)).toMatch(/^Bara skolans rektor/);
    expect((await studiero()).status).toBe('active');
  });

  test('when she writes "@Målbild skolans mål" then the list has Spara and Avveckla per goal, no question', async () => {
    const text = cardText((await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'skolans mål' })))[0]);
    expect(text).not.toContain('Avveckla ändå?');
  });
});
