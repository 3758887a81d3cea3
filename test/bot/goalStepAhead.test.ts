import { VERBS } from '../../src/cards/verbs';
import type { Participation } from '../../src/domain/goalDialogue';
import { openStores, type Stores } from '../../src/storage';
import { cardAction, channelMention, person, personalMessage, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { uniqueTablePrefix } from '../helpers/azurite';
import { testConfig } from '../helpers/bot';
import { cardText, messagesIn } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { localDatePlus, longAnswer, rosterOf, START_FORM_VALUES } from '../helpers/goalDialogue';
import { type BotWithConnector, postActivity, postToMessages, startWithConnector } from '../helpers/http';
import { rosterRule } from '../helpers/roster';

/**
 * A teacher's typed step is saved ahead, under the ETag of her goals as the
 * instance last saved them, side by side with the read of her pointer (and
 * of the dialogue, unless her pointer vouches for it: goalStepAhead.ts).
 * What the instance remembers may be out of date: another instance took
 * her last steps, the principal closed the dialogue (or a closing died
 * before it marked the pointers), her pointer moved, someone else wrote
 * her goals. Whatever it
 * remembers, each answer lands once, where her pointer says, and nothing
 * she wrote is lost. Two instances of the bot on the same Azurite tables.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const teachers = [person('Anna Lindqvist', 1), person('Erik Johansson', 2)];
const anna = teachers[0]!;
const roster = rosterOf([PRINCIPAL, ...teachers]);
const HOW = 'Hur kommer du att arbeta';

describe("a teacher's typed steps on two instances that remember her goals", () => {
  let one: ConversationHarness;
  let two: ConversationHarness;
  let dialogueId: string;
  const typed = (text: string) => personalMessage({ serviceUrl, from: anna, text });
  const says = (bot: ConversationHarness, text: string) => bot.send(typed(text));
  const stored = async (id = dialogueId): Promise<Participation> => (await one.stores.goalDialogues.getParticipation(id, anna.aadObjectId))!.value;
  const questionOf = (replies: Awaited<ReturnType<ConversationHarness['send']>>) => replies.map((reply) => cardText(reply)).join(' ');

  beforeEach(async () => {
    const tablePrefix = uniqueTablePrefix('c');
    one = await conversationHarness({ members: roster, clock: () => now, tablePrefix });
    two = await conversationHarness({ members: roster, clock: () => now, tablePrefix });
    await one.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel', replyToId: 'form-1' }));
    dialogueId = one.effects.started[0]!.id;
    await one.send(cardAction({ serviceUrl, from: anna, verb: VERBS.goalsBegin, data: { dialogueId }, where: 'personal' }));
    // Instance one has saved her goals at the goal question, and remembers them.
    await says(one, '1');
  });

  test('when the two instances take her steps in turn then every answer is kept, in order', async () => {
    expect(questionOf(await says(one, longAnswer('Mål')))).toContain(HOW);
    await says(two, longAnswer('Arbete'));
    // Instance one remembers her goals before instance two's step: its save fails (412), it reads and goes on from there.
    await says(one, longAnswer('Belägg'));
    await says(two, 'tillbaka');
    const goals = await stored();
    expect(goals.goals[0]).toMatchObject({ goal: longAnswer('Mål'), how: longAnswer('Arbete'), evidence: longAnswer('Belägg') });
    expect(goals.cursor).toEqual({ goalIndex: 0, step: 'evidence' });
    await says(one, 'tillbaka');
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when the principal closes the dialogue while an instance remembers her goals then her answer is told it is closed and changes nothing', async () => {
    await says(one, longAnswer('Mål'));
    await two.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueCloseConfirm, data: { dialogueId }, where: 'personal' }));
    const before = await stored();
    const answer = typed(longAnswer('Arbete'));
    expect(messagesIn(await one.send(answer)).join(' ')).toContain('Målsamtalet är avslutat');
    const after = await stored();
    expect(after.goals).toEqual(before.goals);
    expect(after.cursor).toEqual({ goalIndex: 0, step: 'how' });
    // Its redelivery says nothing again.
    expect(await one.send(answer)).toHaveLength(0);
  });

  test('when the same typed answer is delivered to both instances, one after the other, then it applies once and is answered once', async () => {
    const answer = typed(longAnswer('Mål'));
    expect(questionOf(await one.send(answer))).toContain(HOW);
    expect(await two.send(answer)).toHaveLength(0);
    expect(await one.send(answer)).toHaveLength(0);
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when the same typed answer reaches both instances at the same moment then it applies once and is answered once', async () => {
    const answer = typed(longAnswer('Mål'));
    const replies = await Promise.all([one.send(answer), two.send(answer)]);
    expect(replies.flat()).toHaveLength(1);
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
    const next = typed('tillbaka');
    const again = await Promise.all([one.send(next), one.send(next)]);
    expect(again.flat()).toHaveLength(1);
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'goal' });
  });

  test('when something else wrote her goals after the instance remembered them then its save fails (412) and her step applies on top of that write', async () => {
    const current = (await one.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!;
    // What a principal's reminder writes.
    await one.stores.goalDialogues.saveParticipation({ ...current.value, remindedOn: '2026-09-01' }, current.eTag);
    const requests = await one.tableRequests(() => says(one, longAnswer('Mål')));
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
    const after = await stored();
    expect(after.remindedOn).toBe('2026-09-01');
    expect(after.goals[0]?.goal).toBe(longAnswer('Mål'));
    expect(after.cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when she starts writing in another dialogue on the other instance then her next typed text goes there, and the first keeps its goals', async () => {
    await says(one, longAnswer('Mål'));
    const [form] = await one.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    expect(form).toBeDefined();
    await one.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel', replyToId: 'form-2' }));
    const second = one.effects.started[1]!.id;
    const first = await stored();
    await two.send(cardAction({ serviceUrl, from: anna, verb: VERBS.goalsBegin, data: { dialogueId: second }, where: 'personal' }));
    await says(one, '2');
    expect((await stored(second)).goals[0]?.schoolGoalIds).toHaveLength(1);
    const after = await stored();
    expect(after.goals).toEqual(first.goals);
    expect(after.cursor).toEqual(first.cursor);
  });

  test('when her pointer was cleared elsewhere then her typed text is no answer: it is answered, and the goals saved ahead are as they were', async () => {
    const before = await stored();
    await two.stores.goalDialogues.setActiveDialogue(TENANT_ID, anna.aadObjectId, undefined);
    const replies = await says(one, longAnswer('Mål'));
    expect(replies).toHaveLength(1);
    const after = await stored();
    expect(after).toEqual(before);
  });

  test('when a closing that failed after its save is repeated then her pointer is marked and her answer on the other instance is told it is closed', async () => {
    await says(one, longAnswer('Mål'));
    // The first closing saved the dialogue closed and died before it marked the pointers.
    const dialogue = (await two.stores.goalDialogues.getDialogue(TENANT_ID, dialogueId))!;
    await two.stores.goalDialogues.saveDialogue({ ...dialogue.value, status: 'closed' }, dialogue.eTag);
    await two.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueCloseConfirm, data: { dialogueId }, where: 'personal' }));
    const before = await stored();
    expect(messagesIn(await says(one, longAnswer('Arbete'))).join(' ')).toContain('Målsamtalet är avslutat');
    const after = await stored();
    expect(after.goals).toEqual(before.goals);
    expect(after.cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when the dialogue is closed and opened again on the other instance then her answer applies, and the next one is saved beside her pointer alone', async () => {
    await says(one, longAnswer('Mål'));
    await two.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueCloseConfirm, data: { dialogueId }, where: 'personal' }));
    await two.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueReopen, data: { dialogueId }, where: 'personal' }));
    await says(one, longAnswer('Arbete'));
    expect((await stored()).goals[0]).toMatchObject({ goal: longAnswer('Mål'), how: longAnswer('Arbete') });
    // Read once after her pointer, the dialogue is vouched for by it again: no read of the dialogue.
    const requests = await one.tableRequests(() => says(one, longAnswer('Belägg')));
    expect(requests.map((request) => `${request.table} ${request.method}`).sort()).toEqual(['documents PUT', 'goalindex GET']);
    expect((await stored()).goals[0]).toMatchObject({ evidence: longAnswer('Belägg') });
  });

  test('when a dialogue is closed then the pointers that name it are written again and the others are left as they were', async () => {
    const erik = teachers[1]!;
    await one.stores.goalDialogues.setActiveDialogue(TENANT_ID, erik.aadObjectId, 'another-dialogue');
    const annaBefore = await one.stores.goalDialogues.activePointerOf(TENANT_ID, anna.aadObjectId);
    const erikBefore = await one.stores.goalDialogues.activePointerOf(TENANT_ID, erik.aadObjectId);
    await one.stores.goalDialogues.markActivePointers(TENANT_ID, dialogueId);
    const annaAfter = await one.stores.goalDialogues.activePointerOf(TENANT_ID, anna.aadObjectId);
    expect(annaAfter?.dialogueId).toBe(dialogueId);
    expect(annaAfter?.eTag).not.toBe(annaBefore?.eTag);
    expect(await one.stores.goalDialogues.activePointerOf(TENANT_ID, erik.aadObjectId)).toEqual(erikBefore);
  });
});

/**
 * A click on her card is saved ahead the same way, when the card names the
 * dialogue the instance remembers (the card, not her pointer, says where
 * it goes; the pointer only vouches for the dialogue). Through
 * /api/messages: two instances of the whole program on the same Azurite
 * tables, replies at one local Bot Connector, the background work running.
 */
describe("a teacher's clicks on her card, through /api/messages, on two instances that remember her goals", () => {
  let one: BotWithConnector;
  let two: BotWithConnector;
  let stores: Stores;
  let dialogueId: string;
  const serviceUrl = () => one.connector.url;
  const click = (data: Record<string, unknown>, verb: string = VERBS.goalsAnswer) =>
    cardAction({ serviceUrl: serviceUrl(), from: anna, verb, where: 'personal', data: { dialogueId, ...data } });
  const answer = (step: string, words: string) => click({ goalIndex: 0, step, answer: words });
  const post = (bot: BotWithConnector, activity: unknown) => postActivity(bot.running, activity);
  const stored = async (): Promise<Participation> => (await stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value;
  const text = (call: ConnectorCall) => JSON.stringify(call.body);
  /** The "old card" messages the bot sent since `from` calls. */
  const oldCardMessages = (from: number) => one.connector.calls.slice(from).filter((c) => c.method === 'POST' && text(c).includes('tidigare steg'));

  beforeEach(async () => {
    const config = testConfig();
    const rules = [rosterRule(TEAM.id, [PRINCIPAL, ...teachers])];
    one = await startWithConnector(config, { rules });
    two = await startWithConnector(config, { rules });
    stores = await openStores({ connectionString: config.storage.connectionString!, tablePrefix: config.storage.tablePrefix });
    await post(
      one,
      cardAction({
        serviceUrl: serviceUrl(),
        from: PRINCIPAL,
        verb: VERBS.dialogueStart,
        where: 'channel',
        data: { ...START_FORM_VALUES, deadline: localDatePlus(20) },
      }),
    );
    dialogueId = await eventually(async () => (await stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan'))[0]?.dialogueId);
    await eventually(async () => (await stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId)) !== undefined);
    await post(one, click({}, VERBS.goalsBegin));
    // Instance one has saved her goals at the goal question, after reading her pointer: it remembers them, and the pointer vouches.
    await post(one, click({ goalIndex: 0, step: 'schoolGoals', goalIds: 'studiero' }));
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'goal' });
  }, 30_000);

  afterEach(async () => {
    await two?.stop();
    await one?.stop();
  });

  test('when the instances take her clicks in turn then every answer is kept, in order', async () => {
    expect(await post(one, answer('goal', longAnswer('Mål')))).toContain(HOW);
    await post(two, answer('how', longAnswer('Arbete')));
    // Instance one remembers her goals before instance two's click: its save fails (412), it reads and goes on from there.
    await post(one, answer('evidence', longAnswer('Belägg')));
    await post(two, click({}, VERBS.goalsBack));
    expect((await stored()).goals[0]).toMatchObject({ goal: longAnswer('Mål'), how: longAnswer('Arbete'), evidence: longAnswer('Belägg') });
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'evidence' });
    await post(one, click({}, VERBS.goalsBack));
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when her click is delivered again, to the same instance and to the other, then it applies once and only the first is answered with a card', async () => {
    const activity = answer('goal', longAnswer('Mål'));
    const first = await postToMessages(one.running, activity);
    const again = await postToMessages(one.running, activity);
    const elsewhere = await postToMessages(two.running, activity);
    expect([first.status, again.status, elsewhere.status]).toEqual([200, 200, 200]);
    expect(await first.text()).toContain(HOW);
    for (const redelivery of [again, elsewhere]) expect(await redelivery.text()).not.toContain('adaptive');
    const goals = await stored();
    expect(goals.cursor).toEqual({ goalIndex: 0, step: 'how' });
    expect(goals.handledActivities?.filter((id) => id === activity.id)).toHaveLength(1);
  });

  test('when the same click reaches both instances at the same moment then it applies once', async () => {
    const activity = answer('goal', longAnswer('Mål'));
    const bodies = await Promise.all([post(one, activity), post(two, activity)]);
    expect(bodies.filter((body) => body.includes(HOW))).toHaveLength(1);
    expect((await stored()).cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when she clicks twice on the same card, at once on one instance and then on the other, then the first answer applies and the others are told the card is old', async () => {
    const before = one.connector.calls.length;
    const bodies = await Promise.all([post(one, answer('goal', longAnswer('Första'))), post(one, answer('goal', longAnswer('Andra')))]);
    for (const body of bodies) expect(body).toContain(HOW);
    const kept = (await stored()).goals[0]?.goal;
    expect([longAnswer('Första'), longAnswer('Andra')]).toContain(kept);
    await post(two, answer('goal', longAnswer('Tredje')));
    const goals = await stored();
    expect(goals.goals[0]?.goal).toBe(kept);
    expect(goals.cursor).toEqual({ goalIndex: 0, step: 'how' });
    await eventually(() => oldCardMessages(before).length === 2);
  });

  test('when she clicks a card from a step she has left then nothing is saved from it and she is shown where she is, on either instance', async () => {
    await post(one, answer('goal', longAnswer('Mål')));
    await post(one, answer('how', longAnswer('Arbete')));
    const before = one.connector.calls.length;
    const written = await stored();
    // The goal question's card again, and the how question's on the other instance.
    expect(await post(one, answer('goal', longAnswer('Något annat')))).toContain('Hur märker du');
    expect(await post(two, answer('how', longAnswer('Något annat')))).toContain('Hur märker du');
    const after = await stored();
    expect(after.goals).toEqual(written.goals);
    expect(after.cursor).toEqual({ goalIndex: 0, step: 'evidence' });
    await eventually(() => oldCardMessages(before).length === 2);
    // Her next click on the current card applies as usual.
    await post(one, answer('evidence', longAnswer('Belägg')));
    expect((await stored()).goals[0]?.evidence).toBe(longAnswer('Belägg'));
  });

  test('when the principal closes the dialogue while an instance remembers her goals then her click is answered closed and changes nothing, stale or not', async () => {
    await post(one, answer('goal', longAnswer('Mål')));
    await post(two, cardAction({ serviceUrl: serviceUrl(), from: PRINCIPAL, verb: VERBS.dialogueCloseConfirm, data: { dialogueId }, where: 'personal' }));
    const before = await stored();
    const activity = answer('how', longAnswer('Arbete'));
    const reply = await post(one, activity);
    expect(reply).toContain('Målsamtalet är avslutat');
    expect(reply).not.toContain('Action.Execute');
    // A card from a step she has left: the goals as they are, read-only, closed.
    expect(await post(one, answer('goal', longAnswer('Annat')))).toContain('avslutat');
    const after = await stored();
    expect(after.goals).toEqual(before.goals);
    expect(after.cursor).toEqual({ goalIndex: 0, step: 'how' });
    // Its redelivery does nothing again.
    expect(await post(one, activity)).not.toContain('adaptive');
  });

  test('when a closing that failed after its save is repeated then her click on the other instance is answered closed and changes nothing', async () => {
    await post(one, answer('goal', longAnswer('Mål')));
    // The first closing saved the dialogue closed and died before it marked the pointers.
    const dialogue = (await stores.goalDialogues.getDialogue(TENANT_ID, dialogueId))!;
    await stores.goalDialogues.saveDialogue({ ...dialogue.value, status: 'closed' }, dialogue.eTag);
    await post(two, cardAction({ serviceUrl: serviceUrl(), from: PRINCIPAL, verb: VERBS.dialogueCloseConfirm, data: { dialogueId }, where: 'personal' }));
    const before = await stored();
    expect(await post(one, answer('how', longAnswer('Arbete')))).toContain('Målsamtalet är avslutat');
    const after = await stored();
    expect(after.goals).toEqual(before.goals);
    expect(after.cursor).toEqual({ goalIndex: 0, step: 'how' });
  });

  test('when the principal closes the dialogue as she clicks then her answer is either taken before the closing or answered closed, never both', async () => {
    const closing = post(
      two,
      cardAction({ serviceUrl: serviceUrl(), from: PRINCIPAL, verb: VERBS.dialogueCloseConfirm, data: { dialogueId }, where: 'personal' }),
    );
    const [reply] = await Promise.all([post(one, answer('goal', longAnswer('Mål'))), closing]);
    const after = await stored();
    if (reply.includes(HOW)) {
      expect(after.goals[0]?.goal).toBe(longAnswer('Mål'));
    } else {
      expect(reply).toContain('Målsamtalet är avslutat');
      expect(after.goals[0]?.goal).toBeUndefined();
      expect(after.cursor).toEqual({ goalIndex: 0, step: 'goal' });
    }
  });
});
