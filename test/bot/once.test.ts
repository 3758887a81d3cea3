import { randomUUID } from 'node:crypto';
import { VERBS } from '../../src/cards/verbs';
import { cardAction, channelMention, person, personalMessage, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { cardOf, cardText, inputsOf, invokeBody, invokeText, messagesIn, submission } from '../helpers/cards';
import { longAnswer, rosterOf, START_FORM_VALUES } from '../helpers/goalDialogue';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * Every activity takes effect once: Teams delivers an activity again (same
 * id) when the bot answered slowly or with an error, a person double-clicks,
 * two answers arrive at the same moment. Driven through app.run on Azurite.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const teachers = [person('Anna Lindqvist', 1), person('Erik Johansson', 2), person('Fatima Hassan', 3)];
const anna = teachers[0]!;
const roster = rosterOf([PRINCIPAL, ...teachers]);

/** The principal asks for the start form in the channel and fills it in: what Teams sends when she presses "Starta". */
async function filledStartForm(bot: ConversationHarness): Promise<Record<string, unknown>> {
  const [form] = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
  return submission(form, VERBS.dialogueStart, START_FORM_VALUES);
}

const submitStart = (bot: ConversationHarness, data: Record<string, unknown>) =>
  bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data, where: 'channel', replyToId: 'form-1' }));

describe('an activity delivered again takes effect once', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  test('when "hjälp" is delivered twice with the same activity id then the help card is sent once', async () => {
    const activity = personalMessage({ serviceUrl, from: anna, text: 'hjälp' });
    expect(await bot.send(activity)).toHaveLength(1);
    expect(await bot.send(activity)).toHaveLength(0);
  });

  test('when a turn failed with an unexpected error then its redelivery runs again', async () => {
    const save = bot.deps.conversations.save.bind(bot.deps.conversations);
    bot.deps.conversations.save = async () => {
      throw new Error('storage is down');
    };
    const activity = personalMessage({ serviceUrl, from: anna, text: 'hjälp' });
    expect((await bot.send(activity))[0]?.text).toContain('Något gick fel');
    bot.deps.conversations.save = save;
    const again = await bot.send(activity);
    expect(cardText(again[0])).toContain('hjälp');
  });

  test('when a card action is delivered again then the invoke is answered 200 with nothing changed', async () => {
    const form = await filledStartForm(bot);
    const activity = cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: form, where: 'channel', replyToId: 'form-1' });
    await bot.send(activity);
    const again = await bot.send(activity);
    expect(again).toEqual([expect.objectContaining({ type: 'invokeResponse', value: { status: 200 } })]);
    expect(bot.effects.started).toHaveLength(1);
  });
});

describe("a teacher's goal step takes effect once", () => {
  let bot: ConversationHarness;
  let dialogueId: string;
  const say = (text: string) => bot.send(personalMessage({ serviceUrl, from: anna, text }));
  const answerCard = (step: string, answer: string, locale = 'sv-SE') =>
    cardAction({ serviceUrl, from: anna, verb: VERBS.goalsAnswer, data: { dialogueId, goalIndex: 0, step, answer }, where: 'personal', locale });
  const stored = async () => (await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value;

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
    await submitStart(bot, await filledStartForm(bot));
    dialogueId = bot.effects.started[0]!.id;
    await bot.send(cardAction({ serviceUrl, from: anna, verb: VERBS.goalsBegin, data: { dialogueId }, where: 'personal' }));
    await say('1');
  });

  test('when a typed answer is delivered twice then it is stored once and the next question is not skipped', async () => {
    const activity = personalMessage({ serviceUrl, from: anna, text: longAnswer('Mål') });
    expect(cardText((await bot.send(activity))[0])).toContain('Hur kommer du att arbeta');
    expect(await bot.send(activity)).toHaveLength(0);
    const participation = await stored();
    expect(participation.cursor).toEqual({ goalIndex: 0, step: 'how' });
    expect(participation.goals[0]).toMatchObject({ goal: longAnswer('Mål') });
    expect(participation.goals[0]?.how).toBeUndefined();
  });

  test('when a card answer is pressed twice (two activities) then the second is told the card is old and shown where she is', async () => {
    await bot.send(answerCard('goal', longAnswer('Mål')));
    const second = await bot.send(answerCard('goal', longAnswer('Mål')));
    expect(messagesIn(second)).toEqual(['Det här kortet är från ett tidigare steg, så jag sparade ingenting från det. Här är du nu:']);
    expect(invokeText(second)).toContain('Hur kommer du att arbeta');
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
    expect((await stored()).goals[0]?.how).toBeUndefined();
  });

  test('when an old card is pressed in English then she is told so in English', async () => {
    await bot.send(answerCard('goal', longAnswer('Mål')));
    const second = await bot.send(answerCard('goal', longAnswer('Goal'), 'en-US'));
    expect(messagesIn(second)).toEqual(['This card is from an earlier step, so I saved nothing from it. Here is where you are:']);
  });

  test('when two card answers for the same step arrive at the same moment then one applies and the other is answered as old', async () => {
    const replies = await Promise.all([bot.send(answerCard('goal', longAnswer('Första'))), bot.send(answerCard('goal', longAnswer('Andra')))]);
    const old = replies.filter((r) => messagesIn(r).some((m) => m.includes('tidigare steg')));
    expect(old).toHaveLength(1);
    const participation = await stored();
    expect(participation.cursor).toEqual({ goalIndex: 0, step: 'how' });
    expect([longAnswer('Första'), longAnswer('Andra')]).toContain(participation.goals[0]?.goal);
    expect(participation.goals[0]?.how).toBeUndefined();
  });

  test('when a typed answer is delivered twice at the same moment then it is stored once and answered once', async () => {
    const activity = personalMessage({ serviceUrl, from: anna, text: longAnswer('Mål') });
    const replies = await Promise.all([bot.send(activity), bot.send(activity)]);
    expect(replies.map((r) => r.length).sort()).toEqual([0, 1]);
    const participation = await stored();
    expect(participation.cursor).toEqual({ goalIndex: 0, step: 'how' });
    expect(participation.goals[0]?.how).toBeUndefined();
  });

  test('when a card answer is delivered again with the same activity id then it is answered 200 without a body and stored once', async () => {
    const activity = answerCard('goal', longAnswer('Mål'));
    expect(invokeText(await bot.send(activity))).toContain('Hur kommer du att arbeta');
    expect(await bot.send(activity)).toEqual([expect.objectContaining({ type: 'invokeResponse', value: { status: 200 } })]);
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when a card answer is delivered twice at the same moment then one applies, answered once, and the other is answered 200 without a body', async () => {
    const activity = answerCard('goal', longAnswer('Mål'));
    const replies = await Promise.all([bot.send(activity), bot.send(activity)]);
    const bare = replies.filter((r) => r.length === 1 && r[0]?.type === 'invokeResponse' && invokeBody(r) === undefined);
    expect(bare).toHaveLength(1);
    expect(replies.flatMap((r) => messagesIn(r))).toEqual([]);
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when "paus" is delivered again after it paused her then nothing is said again', async () => {
    const activity = personalMessage({ serviceUrl, from: anna, text: 'paus' });
    expect(messagesIn(await bot.send(activity))).toHaveLength(1);
    expect(await bot.send(activity)).toHaveLength(0);
    expect((await stored()).paused).toBe(true);
  });

  test('when an answer that is refused (too long) is delivered twice then she is told once', async () => {
    const activity = personalMessage({ serviceUrl, from: anna, text: 'x'.repeat(5000) });
    expect(await bot.send(activity)).not.toHaveLength(0);
    expect(await bot.send(activity)).toHaveLength(0);
  });

  test('when an old card is delivered again then she is told once that it is old', async () => {
    await bot.send(answerCard('goal', longAnswer('Mål')));
    const old = answerCard('goal', longAnswer('Mål'));
    expect(messagesIn(await bot.send(old))).toHaveLength(1);
    expect(await bot.send(old)).toEqual([expect.objectContaining({ type: 'invokeResponse', value: { status: 200 } })]);
  });

  test('when a goal step fails before its save then its redelivery runs it', async () => {
    const repository = bot.stores.goalDialogues;
    const save = repository.saveParticipation.bind(repository);
    repository.saveParticipation = async () => {
      throw new Error('storage is down');
    };
    const activity = personalMessage({ serviceUrl, from: anna, text: longAnswer('Mål') });
    expect((await bot.send(activity))[0]?.text).toContain('Något gick fel');
    repository.saveParticipation = save;
    expect(cardText((await bot.send(activity))[0])).toContain('Hur kommer du att arbeta');
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when typed text that is no answer is delivered twice then the reply is sent once', async () => {
    await say('paus');
    const activity = personalMessage({ serviceUrl, from: anna, text: 'vad kan du göra' });
    expect(await bot.send(activity)).toHaveLength(1);
    expect(await bot.send(activity)).toHaveLength(0);
  });
});

describe('a form that became something cannot create it again', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  test("when the principal's start form is submitted twice (a double-click) then one dialogue starts and both answers say it is started", async () => {
    const form = await filledStartForm(bot);
    const first = await submitStart(bot, form);
    const second = await submitStart(bot, form);
    expect(invokeText(first)).toContain('Målsamtalet är startat.');
    expect(invokeText(second)).toContain('Målsamtalet är startat.');
    expect(await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan')).toHaveLength(1);
    expect(bot.effects.started).toHaveLength(1);
    expect(bot.updates).toHaveLength(1);
  });

  test('when the start form is submitted twice at the same moment then one dialogue starts', async () => {
    const form = await filledStartForm(bot);
    const replies = await Promise.all([submitStart(bot, form), submitStart(bot, form)]);
    for (const reply of replies) expect(invokeText(reply)).toContain('Målsamtalet är startat.');
    expect(await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan')).toHaveLength(1);
    expect(bot.effects.started).toHaveLength(1);
  });

  test('when two start forms are filled in then each starts its own dialogue', async () => {
    await submitStart(bot, await filledStartForm(bot));
    await submitStart(bot, await filledStartForm(bot));
    expect(await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan')).toHaveLength(2);
  });

  test('when the "ny lärgrupp" form is submitted twice then one group is created and announced once', async () => {
    const [form] = await bot.send(channelMention({ serviceUrl, from: anna, text: 'ny lärgrupp' }));
    expect(inputsOf(form).formId).toMatch(/^\d{8}-[0-9a-f]{10}$/);
    const filled = submission(form, VERBS.groupSave, { name: 'Matematik åk 4–6', members: teachers.map((t) => t.aadObjectId).join(',') });
    const save = () => bot.send(cardAction({ serviceUrl, from: anna, verb: VERBS.groupSave, data: filled, where: 'channel' }));
    const first = await save();
    const second = await save();
    expect(messagesIn(first)).toHaveLength(1);
    expect(messagesIn(second)).toHaveLength(0);
    expect(cardText({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: invokeBody(second)?.value }] })).toContain(
      'Matematik åk 4–6',
    );
    expect(await bot.stores.learningGroups.groupsInConversation(TENANT_ID, channelMention({ serviceUrl, from: anna, text: '' }).conversation.id)).toHaveLength(
      1,
    );
    expect(bot.groupEffects.saved).toHaveLength(1);
  });

  test('when a form id names a group of another conversation then nothing is shown or created', async () => {
    const [form] = await bot.send(channelMention({ serviceUrl, from: anna, text: 'ny lärgrupp' }));
    const filled = submission(form, VERBS.groupSave, { name: 'Matematik åk 4–6', members: teachers.map((t) => t.aadObjectId).join(',') });
    await bot.send(cardAction({ serviceUrl, from: anna, verb: VERBS.groupSave, data: filled, where: 'channel' }));
    const elsewhere = { ...channelMention({ serviceUrl, from: anna, text: '' }), id: randomUUID() };
    const crafted = await bot.send({
      ...cardAction({ serviceUrl, from: anna, verb: VERBS.groupSave, data: filled, where: 'channel' }),
      conversation: { ...elsewhere.conversation, id: '19:another-channel@thread.tacv2' },
    });
    expect(cardOf(crafted[0])).toBeUndefined();
    expect(invokeText(crafted)).not.toContain('Matematik åk 4–6');
  });
});
