import { VERBS } from '../../src/cards/verbs';
import type { Member } from '../../src/domain/goalDialogueService';
import { cardAction, channelMention, person, TENANT_ID } from '../helpers/activities';
import { uniqueTablePrefix } from '../helpers/azurite';
import { cardOf, invokeBody, invokeText, submission } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * A check-in answer takes effect once (README, security: redelivery): its
 * save is the activity's claim (learningGroupAnswers.ts). The same activity
 * delivered again, or twice at once, saves once and is answered once; two
 * clicks (two activities) and two instances saving at once lose nothing.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const anna = person('Anna Lindqvist', 1);
const erik = person('Erik Johansson', 2);
const roster: Member[] = [anna, erik].map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name }));
const ANSWER = { tried: 'Exit tickets i 5B', happened: 'Fler elever förklarade hur de tänkte', evidence: '', ask: '' };
const THANKS = 'Tack! Ditt svar är sparat.';

describe('a check-in answer, once', () => {
  let bot: ConversationHarness;
  let tablePrefix: string;
  let checkInId: string;
  const answerCard = (values: Record<string, unknown>) =>
    cardAction({ serviceUrl, from: anna, verb: VERBS.checkInAnswer, data: { checkInId, ...values }, where: 'channel' });
  const stored = async () => (await bot.stores.learningGroups.answers(TENANT_ID, checkInId)).filter((a) => a.aadObjectId === anna.aadObjectId);
  const bare = (replies: Awaited<ReturnType<ConversationHarness['send']>>) =>
    replies.length === 1 && replies[0]?.type === 'invokeResponse' && invokeBody(replies) === undefined;

  beforeEach(async () => {
    tablePrefix = uniqueTablePrefix('once');
    bot = await conversationHarness({ members: roster, clock: () => now, tablePrefix });
    const [form] = await bot.send(channelMention({ serviceUrl, from: anna, text: 'ny lärgrupp' }));
    const members = [anna, erik].map((t) => t.aadObjectId).join(',');
    await bot.send(
      cardAction({ serviceUrl, from: anna, verb: VERBS.groupSave, data: submission(form, VERBS.groupSave, { name: 'Matematik', members }), where: 'channel' }),
    );
    const [card] = await bot.send(channelMention({ serviceUrl, from: anna, text: 'incheckning' }));
    checkInId = ((cardOf(card)?.refresh ?? {}) as { action: { data: { checkInId: string } } }).action.data.checkInId;
  });

  test('when an answer is delivered again with the same activity id then it is answered 200 without a body and stored once', async () => {
    const activity = answerCard(ANSWER);
    expect(invokeText(await bot.send(activity))).toContain(THANKS);
    const first = await stored();
    expect(bare(await bot.send(activity))).toBe(true);
    expect(await stored()).toEqual(first);
    expect(first[0]?.handledActivities).toEqual([activity.id]);
  });

  test('when an answer is delivered twice at the same moment then one saves and thanks her, and the other is answered 200 without a body', async () => {
    const activity = answerCard(ANSWER);
    const replies = await Promise.all([bot.send(activity), bot.send(activity)]);
    expect(replies.filter(bare)).toHaveLength(1);
    expect(replies.filter((r) => invokeText(r).includes(THANKS))).toHaveLength(1);
    expect((await stored()).map((a) => a.handledActivities)).toEqual([[activity.id]]);
  });

  test('when she double-clicks (two activities) then both are thanked, one answer is stored and both activities are recorded on it', async () => {
    const clicks = [answerCard(ANSWER), answerCard(ANSWER)];
    const replies = await Promise.all(clicks.map((click) => bot.send(click)));
    expect(replies.map((r) => invokeText(r).includes(THANKS))).toEqual([true, true]);
    const answers = await stored();
    expect(answers).toHaveLength(1);
    expect(answers[0]?.values).toMatchObject({ tried: ANSWER.tried });
    expect([...(answers[0]?.handledActivities ?? [])].sort()).toEqual(clicks.map((c) => c.id).sort());
  });

  test('when two instances save her answer at the same moment then neither update is lost: the later answer stands with both activities recorded', async () => {
    const other = await conversationHarness({ members: roster, clock: () => now, tablePrefix });
    const first = answerCard({ ...ANSWER, evidence: 'Från den första' });
    const second = answerCard({ ...ANSWER, evidence: 'Från den andra' });
    const replies = await Promise.all([bot.send(first), other.send(second)]);
    expect(replies.map((r) => invokeText(r).includes(THANKS))).toEqual([true, true]);
    const [answer] = await stored();
    expect(['Från den första', 'Från den andra']).toContain(answer?.values.evidence);
    expect([...(answer?.handledActivities ?? [])].sort()).toEqual([first.id, second.id].sort());
  });

  test('when an answer that is refused (a required answer missing) is delivered twice then she is told once and nothing is stored', async () => {
    const activity = answerCard({ ...ANSWER, tried: '' });
    expect(invokeBody(await bot.send(activity))).toBeDefined();
    expect(bare(await bot.send(activity))).toBe(true);
    expect(await stored()).toEqual([]);
  });

  test('when a turn fails after her answer was saved then its redelivery saves nothing again but plans the refresh of the card again', async () => {
    const effects = bot.groupEffects;
    const answersChanged = effects.answersChanged.bind(effects);
    effects.answersChanged = async () => {
      throw new Error('storage went away');
    };
    const activity = answerCard(ANSWER);
    expect(invokeText(await bot.send(activity))).toContain('Försök gärna igen om en stund');
    const saved = await stored();
    expect(saved).toHaveLength(1);
    effects.answersChanged = answersChanged;
    expect(bare(await bot.send(activity))).toBe(true);
    expect(await stored()).toEqual(saved);
    expect(effects.answersChangedFor).toEqual([checkInId]);
  });
});
