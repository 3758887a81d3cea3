import { VERBS } from '../../src/cards/verbs';
import type { Member } from '../../src/domain/goalDialogueService';
import type { TableRequest } from '../../src/storage/tables';
import { botInstalledPersonal, cardAction, channelMention, person, personalMessage, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { cardOf, submission } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';
import { writeGoalByTyping } from '../helpers/goalDialogue';

/**
 * How many requests a turn makes to Table Storage (counted by a pipeline
 * policy on every Table client). The counts are deterministic: the effects
 * are recorded, not run, and nothing else runs meanwhile. Aims (README,
 * performance): a goal step at most 4 (its save is the activity's claim;
 * a typed step or a click on her card saves what the instance remembers
 * of her goals at once, beside the read of her pointer, 2),
 * a check-in answer at most 5 (below), `hjälp` at most 2.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const teachers = [person('Anna Lindqvist', 1), person('Erik Johansson', 2)];
const anna = teachers[0]!;
const roster: Member[] = [PRINCIPAL, ...teachers].map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name }));
const LONG = (what: string) => `${what}: eleverna beskriver sitt lärande med egna ord i varje lektion`;

/** The requests by table, e.g. { activities: 1, documents: 2 }, for a readable failure. */
function byTable(requests: TableRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { table } of requests) counts[table] = (counts[table] ?? 0) + 1;
  return counts;
}

/** The principal starts a målsamtal for the staff team from the channel; the new dialogue's id. */
async function startDialogue(bot: ConversationHarness): Promise<string> {
  const [form] = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
  await bot.send(
    cardAction({
      serviceUrl,
      from: PRINCIPAL,
      verb: VERBS.dialogueStart,
      data: submission(form, VERBS.dialogueStart, { deadline: '2026-09-30' }),
      where: 'channel',
    }),
  );
  return bot.effects.started.at(-1)!.id;
}

describe('Table requests per turn', () => {
  let bot: ConversationHarness;
  let dialogueId: string;
  const say = (text: string) => bot.send(personalMessage({ serviceUrl, from: anna, text }));
  const press = (verb: string, data: Record<string, unknown> = {}) =>
    bot.send(cardAction({ serviceUrl, from: anna, verb, data: { dialogueId, ...data }, where: 'personal' }));

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  async function writing(): Promise<void> {
    dialogueId = await startDialogue(bot);
    await press(VERBS.goalsBegin);
    await say('1');
  }

  test('when a teacher installs the bot then the turn makes 4 requests: the claim, the reference and its 1:1 index, the welcome marker', async () => {
    const requests = await bot.tableRequests(() => bot.send(botInstalledPersonal({ serviceUrl, from: anna })));
    expect(byTable(requests)).toEqual({ activities: 1, conversations: 3 });
  });

  test('when a known teacher writes "hjälp" then the turn makes 1 request: the claim', async () => {
    await say('hjälp');
    const requests = await bot.tableRequests(() => say('hjälp'));
    expect(byTable(requests)).toEqual({ activities: 1 });
  });

  test('when a teacher types an answer then the turn makes 2 requests side by side: the active pointer, the participation saved (the claim)', async () => {
    await writing();
    const requests = await bot.tableRequests(() => say(LONG('Mål')));
    expect(byTable(requests)).toEqual({ goalindex: 1, documents: 1 });
    expect(requests.map((r) => r.method).sort()).toEqual(['GET', 'PUT']);
  });

  test('when a teacher answers in the card then the turn makes 2 requests side by side: the active pointer, the participation saved (the claim)', async () => {
    await writing();
    const requests = await bot.tableRequests(() => press(VERBS.goalsAnswer, { goalIndex: 0, step: 'goal', answer: LONG('Mål') }));
    expect(byTable(requests)).toEqual({ goalindex: 1, documents: 1 });
    expect(requests.map((r) => r.method).sort()).toEqual(['GET', 'PUT']);
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value.goals[0]?.goal).toBe(LONG('Mål'));
  });

  test('when her first click follows a move of her pointer then the dialogue is read once, after her pointer (3 requests), and her next click makes 2', async () => {
    await writing();
    await say('paus');
    await press(VERBS.goalsBegin);
    // Her pointer moved with "begin": it vouches for the dialogue only once it is read before the dialogue.
    const first = await bot.tableRequests(() => press(VERBS.goalsAnswer, { goalIndex: 0, step: 'goal', answer: LONG('Mål') }));
    expect(byTable(first)).toEqual({ goalindex: 1, documents: 2 });
    const next = await bot.tableRequests(() => press(VERBS.goalsAnswer, { goalIndex: 0, step: 'how', answer: LONG('Hur') }));
    expect(byTable(next)).toEqual({ goalindex: 1, documents: 1 });
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value.goals[0]).toMatchObject({
      goal: LONG('Mål'),
      how: LONG('Hur'),
    });
  });

  test('when a teacher writes "tillbaka" then the turn makes 2 requests', async () => {
    await writing();
    const requests = await bot.tableRequests(() => say('tillbaka'));
    expect(byTable(requests)).toEqual({ goalindex: 1, documents: 1 });
  });

  test("when a teacher's typed answer is delivered again then the redelivery makes 3 requests and saves nothing", async () => {
    await writing();
    const answer = personalMessage({ serviceUrl, from: anna, text: LONG('Mål') });
    await bot.send(answer);
    const requests = await bot.tableRequests(() => bot.send(answer));
    expect(byTable(requests)).toEqual({ goalindex: 1, documents: 2 });
    expect(requests.map((r) => r.method)).not.toContain('PUT');
  });

  test("when the dialogue saved ahead is not the one her pointer names then her answer goes to the pointer's dialogue, at the cost of a read, the save and its undo", async () => {
    await writing(); // this instance last saw her write in the first dialogue
    const second = await startDialogue(bot);
    // Another instance moved her pointer to the second dialogue.
    await bot.stores.goalDialogues.setActiveDialogue(TENANT_ID, anna.aadObjectId, second);
    const requests = await bot.tableRequests(() => say('1'));
    expect(byTable(requests)).toEqual({ goalindex: 1, documents: 5 });
    expect((await bot.stores.goalDialogues.getParticipation(second, anna.aadObjectId))!.value.goals[0]?.schoolGoalIds).toHaveLength(1);
    expect((await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value.cursor).toEqual({ goalIndex: 0, step: 'goal' });
  });
});

/**
 * A check-in answer: at most 5 requests in every case. The check-in, its
 * group and its answers are read side by side, and her answer is saved:
 * that save is the activity's claim, and the goals it names are the
 * reflections the follow-up counts (no row of their own). The 5th is the
 * card's refresh job, written by the first answer of a second on an
 * instance: recorded here, counted by B2.
 */
describe('Table requests of a check-in answer', () => {
  let bot: ConversationHarness;
  let at: Date;
  let checkInId: string | undefined;
  const inChannel = (verb: string, data: Record<string, unknown>) =>
    cardAction({ serviceUrl, from: anna, verb, data: { checkInId, ...data }, where: 'channel' });
  const before = { tried: 'Exit tickets i 5B', happened: 'Fler elever förklarade hur de tänkte', evidence: '', ask: '' };
  const after = { plan: 'Tyst start i 5B på måndag', lookFor: 'Om fler kommer igång', useful: '4', support: '' };

  beforeEach(async () => {
    at = now;
    bot = await conversationHarness({ members: roster, clock: () => at });
  });

  /** The group of Anna and Erik; `incheckning` posts its next check-in, which Anna opens. */
  async function openCheckIn(): Promise<void> {
    if (bot.groupEffects.saved.length === 0) {
      const [form] = await bot.send(channelMention({ serviceUrl, from: anna, text: 'ny lärgrupp' }));
      const members = teachers.map((t) => t.aadObjectId).join(',');
      await bot.send(
        cardAction({
          serviceUrl,
          from: anna,
          verb: VERBS.groupSave,
          data: submission(form, VERBS.groupSave, { name: 'Matematik', members }),
          where: 'channel',
        }),
      );
    }
    const [card] = await bot.send(channelMention({ serviceUrl, from: anna, text: 'incheckning' }));
    checkInId = ((cardOf(card)?.refresh ?? {}) as { action?: { data?: { checkInId?: string } } }).action?.data?.checkInId;
    await bot.send(inChannel(VERBS.checkInView, {}));
  }

  /** The after check-in of the first meeting, posted once it has started (the before one first). */
  async function openAfterCheckIn(): Promise<void> {
    await openCheckIn();
    const group = bot.groupEffects.saved[0]!;
    // A minute after the first meeting started (Stockholm in summer time, as in September).
    at = new Date(Date.parse(`${group.meetings[0]!.date}T${group.startTime}:00+02:00`) + 60_000);
    await openCheckIn();
    expect(checkInId).toMatch(/~after$/);
  }

  /** Anna writes and confirms one goal in a målsamtal; its id in a check-in's goal question. */
  async function confirmedGoal(): Promise<string> {
    const dialogueId = await startDialogue(bot);
    await writeGoalByTyping(
      async (activity) => {
        await bot.send(activity as Parameters<ConversationHarness['send']>[0]);
        return '';
      },
      serviceUrl,
      anna,
      dialogueId,
      { goal: LONG('Mål'), how: LONG('Hur'), evidence: LONG('Hur jag ser det') },
    );
    return `${dialogueId}:1`;
  }

  test('when a member answers a before check-in she has opened then the turn makes 4 requests: the check-in, the group and the answers read side by side, her answer saved (the claim)', async () => {
    await openCheckIn();
    const requests = await bot.tableRequests(() => bot.send(inChannel(VERBS.checkInAnswer, before)));
    expect(byTable(requests)).toEqual({ documents: 2, answers: 2 });
    expect(requests.filter((r) => r.method !== 'GET').map((r) => `${r.table} ${r.method}`)).toEqual(['answers POST']);
  });

  test('when a member changes her answer then the turn makes the same 4 requests, her answer replaced under its ETag', async () => {
    await openCheckIn();
    await bot.send(inChannel(VERBS.checkInAnswer, before));
    const requests = await bot.tableRequests(() => bot.send(inChannel(VERBS.checkInAnswer, { ...before, evidence: 'Fler frågor' })));
    expect(byTable(requests)).toEqual({ documents: 2, answers: 2 });
    expect(requests.filter((r) => r.method !== 'GET').map((r) => `${r.table} ${r.method}`)).toEqual(['answers PUT']);
  });

  test('when a member answers an after check-in naming one of her goals then the turn makes 4 requests, and the answer is the reflection the follow-up counts', async () => {
    const goal = await confirmedGoal();
    await openAfterCheckIn();
    const requests = await bot.tableRequests(() => bot.send(inChannel(VERBS.checkInAnswer, { ...after, goal })));
    expect(byTable(requests)).toEqual({ documents: 2, answers: 2 });
    expect(await bot.stores.learningGroups.reflections(TENANT_ID, now.toISOString())).toEqual([{ aadObjectId: anna.aadObjectId, goalIds: [goal] }]);
  });

  test('when a member answers an after check-in naming no goal then the turn makes 4 requests and there is no reflection', async () => {
    await openAfterCheckIn();
    const requests = await bot.tableRequests(() => bot.send(inChannel(VERBS.checkInAnswer, after)));
    expect(byTable(requests)).toEqual({ documents: 2, answers: 2 });
    expect(await bot.stores.learningGroups.reflections(TENANT_ID, now.toISOString())).toEqual([]);
  });

  test('when a check-in answer is delivered again then the redelivery makes 3 reads, saves nothing and is answered 200 without a body', async () => {
    await openCheckIn();
    const answer = inChannel(VERBS.checkInAnswer, before);
    await bot.send(answer);
    let replies: Awaited<ReturnType<ConversationHarness['send']>> = [];
    const requests = await bot.tableRequests(async () => (replies = await bot.send(answer)));
    expect(byTable(requests)).toEqual({ documents: 2, answers: 1 });
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(replies.map((r) => r.value)).toEqual([{ status: 200 }]);
  });

  test('when a check-in answer is refused (a required answer missing) then the turn makes 5 requests: the 3 reads, her answer looked at for the activity, the claim', async () => {
    await openCheckIn();
    const requests = await bot.tableRequests(() => bot.send(inChannel(VERBS.checkInAnswer, { ...before, tried: '' })));
    expect(byTable(requests)).toEqual({ documents: 2, answers: 2, activities: 1 });
    expect(await bot.stores.learningGroups.answers(TENANT_ID, checkInId!)).toEqual([]);
  });
});
