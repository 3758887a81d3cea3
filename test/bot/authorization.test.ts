import type { Activity } from 'botbuilder';
import { VERBS } from '../../src/cards/verbs';
import type { Group } from '../../src/domain/learningGroup';
import { cardAction, channelMention, type Person, person, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { cardOf, invokeCard, invokeText, messagesIn, submission } from '../helpers/cards';
import { rosterOf, START_FORM_VALUES } from '../helpers/goalDialogue';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * Crafted card actions through app.run, one family of handlers at a time:
 * card data naming another conversation's group, another school's dialogue
 * or another teacher, sent from another chat and by someone whose role does
 * not allow it. Each is refused with a message, and nothing is revealed
 * (no card, no name, no id, no answer) or changed.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');

const maria = person('Maria Ekström', 1);
const anna = person('Anna Lindqvist', 2);
const erik = person('Erik Johansson', 3);
/** In another group chat with Maria; never in the group. */
const olle = person('Olle Utomstående', 9);
const teachers = [maria, anna, erik];
const roster = rosterOf([PRINCIPAL, ...teachers]);

const GROUP_NAME = 'Matematik åk 4–6';
const SECRET_ANSWER = 'Annas hemliga svar om klass 5B';
const NOT_FOUND = 'Det du letar efter finns inte (längre), eller så har du inte tillgång till det.';
const ONLY_FACILITATOR = 'Bara gruppens samtalsledare kan ändra gruppen. Ingenting har ändrats.';
const NOT_MEMBER = 'Den här incheckningen hör till en grupp du inte är med i. Ingenting har ändrats.';

/** Another group chat, where the crafted cards are sent from. */
const OTHER_CHAT = '19:en-annan-chatt@thread.v2';

function inOtherChat(from: Person, verb: string, data: Record<string, unknown>, trigger: 'manual' | 'automatic' = 'manual') {
  return cardAction({ serviceUrl, from, verb, data, where: 'groupChat', chatId: OTHER_CHAT, replyToId: 'card-in-other-chat', trigger });
}

const inChannel = (bot: ConversationHarness, from: Person, verb: string, data: Record<string, unknown>) =>
  bot.send(cardAction({ serviceUrl, from, verb, data, where: 'channel' }));

/** Everything the one who pressed got back, and what went to the chat, must reveal nothing of these. */
function expectNothingRevealed(replies: Partial<Activity>[], secrets: string[]): void {
  expect(invokeCard(replies)).toBeUndefined();
  // What the bot said (the activities' addressing names the one who pressed, which is no secret to her).
  const everything = JSON.stringify(replies.map(({ type, text, value, attachments }) => ({ type, text, value, attachments })));
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe('learning groups: a card naming a group is checked on the server, whatever it claims', () => {
  let bot: ConversationHarness;
  let group: Group;
  let checkInId: string;
  let editForm: Record<string, unknown>;
  /** What a refusal must not reveal: the group's name and id, its members' names and AAD ids, an answer. */
  let secrets: string[];

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
    const [form] = await bot.send(channelMention({ serviceUrl, from: maria, text: 'ny lärgrupp' }));
    const filled = submission(form, VERBS.groupSave, { name: GROUP_NAME, members: teachers.map((t) => t.aadObjectId).join(','), privacy: 'named' });
    await inChannel(bot, maria, VERBS.groupSave, filled);
    group = bot.groupEffects.saved.at(-1)!;
    const [card] = await bot.send(channelMention({ serviceUrl, from: maria, text: 'incheckning' }));
    checkInId = ((cardOf(card)?.refresh ?? {}) as { action?: { data?: { checkInId?: string } } }).action?.data?.checkInId ?? '';
    await inChannel(bot, anna, VERBS.checkInAnswer, { checkInId, tried: SECRET_ANSWER, happened: 'Fler förklarade', evidence: '', ask: '' });
    editForm = submission(invokeCard(await inChannel(bot, maria, VERBS.groupEdit, { groupId: group.id })), VERBS.groupSave);
    secrets = [GROUP_NAME, group.id, SECRET_ANSWER, ...teachers.flatMap((t) => [t.name, t.aadObjectId])];
    bot.updates.splice(0);
  });

  /** The group, its check-ins and answers as stored, to compare before and after an attack. */
  async function snapshot() {
    const { learningGroups } = bot.stores;
    return {
      group: (await learningGroups.getGroup(TENANT_ID, group.id))?.value,
      checkIns: await learningGroups.checkInsOfGroup(TENANT_ID, group.id),
      answers: await learningGroups.answers(TENANT_ID, checkInId),
      posted: bot.groupEffects.posted.length,
      saved: bot.groupEffects.saved.length,
    };
  }

  async function expectUnchanged(before: Awaited<ReturnType<typeof snapshot>>): Promise<void> {
    expect(await snapshot()).toEqual(before);
    expect(bot.updates).toEqual([]);
  }

  // Each handler that takes a group id from a card: its verb and the data a crafted card would send.
  const groupVerbs: [string, () => Record<string, unknown>][] = [
    [VERBS.groupShow, () => ({ groupId: group.id })],
    [VERBS.groupLog, () => ({ groupId: group.id })],
    [VERBS.groupEdit, () => ({ groupId: group.id })],
    [VERBS.groupSpread, () => ({ ...editForm, meetingCount: '4' })],
    [VERBS.groupSave, () => ({ ...editForm, name: 'Kapad grupp' })],
    [VERBS.groupQuestions, () => ({ groupId: group.id, scope: 'all', phase: 'before' })],
    [VERBS.groupSaveQuestions, () => ({ groupId: group.id, shown: 'all|before', q0Label: 'Kapad fråga', q0Required: 'true' })],
    [VERBS.groupCheckInNow, () => ({ groupId: group.id })],
  ];

  test.each(groupVerbs)('when the facilitator sends "%s" naming her group from another chat then it is as if the group did not exist', async (verb, data) => {
    const before = await snapshot();
    const replies = await bot.send(inOtherChat(maria, verb, data()));
    expect(invokeText(replies)).toBe(NOT_FOUND);
    expect(messagesIn(replies)).toEqual([]);
    expectNothingRevealed(replies, secrets);
    await expectUnchanged(before);
  });

  test.each(groupVerbs)(
    'when someone outside the group sends "%s" naming it from another chat then it is as if the group did not exist',
    async (verb, data) => {
      const before = await snapshot();
      const replies = await bot.send(inOtherChat(olle, verb, data()));
      expect(invokeText(replies)).toBe(NOT_FOUND);
      expectNothingRevealed(replies, secrets);
      await expectUnchanged(before);
    },
  );

  test.each([VERBS.groupEdit, VERBS.groupSpread, VERBS.groupSave, VERBS.groupQuestions, VERBS.groupSaveQuestions])(
    'when a member who is not the facilitator sends "%s" in the group\'s channel then only the facilitator may, and nothing changes',
    async (verb) => {
      const data = groupVerbs.find(([v]) => v === verb)![1]();
      const before = await snapshot();
      const replies = await inChannel(bot, erik, verb, data);
      expect(invokeText(replies)).toBe(ONLY_FACILITATOR);
      expect(invokeCard(replies)).toBeUndefined();
      // No form with the members' ids or the questions comes back.
      expect(JSON.stringify(replies)).not.toContain(anna.aadObjectId);
      expect(JSON.stringify(replies)).not.toContain('Kapad');
      await expectUnchanged(before);
    },
  );

  test('when someone in the channel who is not in the group posts a check-in, by card or by text, then only members may, and nothing is posted', async () => {
    const before = await snapshot();
    const pressed = await inChannel(bot, PRINCIPAL, VERBS.groupCheckInNow, { groupId: group.id });
    expect(invokeText(pressed)).toBe('Bara gruppens medlemmar kan lägga ut en incheckning. Ingenting har ändrats.');
    const typed = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'incheckning' }));
    expect(messagesIn(typed)).toEqual(['Bara gruppens medlemmar kan lägga ut en incheckning. Ingenting har ändrats.']);
    expect(typed.filter((r) => cardOf(r))).toEqual([]);
    await expectUnchanged(before);
  });

  test.each([
    ['opens', VERBS.checkInView, 'manual'],
    ['refreshes', VERBS.checkInView, 'automatic'],
    ['edits', VERBS.checkInEdit, 'manual'],
    ['answers', VERBS.checkInAnswer, 'manual'],
  ] as const)('when someone outside the group %s its check-in from another chat then she is refused and sees no answer', async (_what, verb, trigger) => {
    const before = await snapshot();
    const replies = await bot.send(inOtherChat(olle, verb, { checkInId, tried: 'Olles svar', happened: 'x', evidence: '', ask: '' }, trigger));
    expect(invokeText(replies)).toBe(NOT_MEMBER);
    expectNothingRevealed(replies, secrets);
    await expectUnchanged(before);
  });

  test("when a card's data is sent as an Action.Submit message instead then the bot does nothing with it", async () => {
    const before = await snapshot();
    const replies = await bot.send({
      ...inOtherChat(maria, VERBS.groupSpread, {}),
      type: 'message',
      name: undefined,
      text: '',
      value: { verb: VERBS.groupSpread, ...editForm },
    });
    expectNothingRevealed(replies, secrets);
    await expectUnchanged(before);
  });
});

describe('goal dialogues: a card naming a dialogue or a teacher is checked on the server', () => {
  let bot: ConversationHarness;
  let dialogueId: string;

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
    await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: START_FORM_VALUES, where: 'channel', replyToId: 'form-1' }));
    dialogueId = bot.effects.started[0]!.id;
  });

  /** The same dialogue, moved to a school the principal does not lead. */
  async function makeItAnotherSchools(): Promise<void> {
    const stored = (await bot.stores.goalDialogues.getDialogue(TENANT_ID, dialogueId))!;
    await bot.stores.goalDialogues.saveDialogue({ ...stored.value, schoolId: 'en-annan-skola' }, stored.eTag);
  }

  const asPrincipal = (verb: string, data: Record<string, unknown>) => bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb, data, where: 'personal' }));

  test("when a principal opens, writes notes on or closes another school's dialogue then she is refused and nothing is shown or changed", async () => {
    await makeItAnotherSchools();
    for (const [verb, data] of [
      [VERBS.principalOpen, { dialogueId, teacher: anna.aadObjectId }],
      [VERBS.principalNotes, { dialogueId, teacher: anna.aadObjectId, notes: 'Rektorns anteckning', talkHeldOn: '' }],
      [VERBS.dialogueClose, { dialogueId }],
    ] as const) {
      const replies = await asPrincipal(verb, data);
      expect(invokeText(replies)).toMatch(/^Bara skolans rektor/);
      expectNothingRevealed(replies, ['Målsamtal HT 2026', anna.name, anna.aadObjectId]);
    }
    expect(await bot.stores.goalDialogues.getNotes(dialogueId, anna.aadObjectId)).toBeUndefined();
    expect((await bot.stores.goalDialogues.getDialogue(TENANT_ID, dialogueId))!.value.status).toBe('open');
  });

  test('when a principal opens someone who is not in her dialogue then nothing is shown', async () => {
    const replies = await asPrincipal(VERBS.principalOpen, { dialogueId, teacher: olle.aadObjectId });
    expect(invokeText(replies)).toBe(NOT_FOUND);
    expect(invokeCard(replies)).toBeUndefined();
  });

  test("when a teacher sends the principal's card actions from another chat then she can read and write nothing", async () => {
    for (const [verb, data] of [
      [VERBS.principalOpen, { dialogueId, teacher: erik.aadObjectId }],
      [VERBS.principalNotes, { dialogueId, teacher: erik.aadObjectId, notes: 'Annas anteckning', talkHeldOn: '' }],
      [VERBS.dialogueClose, { dialogueId }],
    ] as const) {
      const replies = await bot.send(inOtherChat(anna, verb, data));
      expect(invokeText(replies)).toMatch(/^Bara skolans rektor/);
      expectNothingRevealed(replies, [erik.name, erik.aadObjectId]);
    }
    expect(await bot.stores.goalDialogues.getNotes(dialogueId, erik.aadObjectId)).toBeUndefined();
    expect((await bot.stores.goalDialogues.getDialogue(TENANT_ID, dialogueId))!.value.status).toBe('open');
  });

  test('when someone outside a dialogue sends its teacher cards then she is told it is not there and no goals are created', async () => {
    for (const verb of [VERBS.goalsBegin, VERBS.goalsAnswer, VERBS.goalsConfirm]) {
      const replies = await bot.send(inOtherChat(olle, verb, { dialogueId, goalIndex: '0', step: 'goal', answer: 'Olles mål' }));
      expect(invokeText(replies)).toBe(NOT_FOUND);
      expectNothingRevealed(replies, ['Målsamtal HT 2026']);
    }
    expect(await bot.stores.goalDialogues.getParticipation(dialogueId, olle.aadObjectId)).toBeUndefined();
  });

  test('when a principal saves or retires the goals of a school she does not lead then she is refused and nothing is stored', async () => {
    const save = await asPrincipal(VERBS.schoolGoalSave, {
      schoolId: 'en-annan-skola',
      goalId: '',
      version: '0',
      title_new: 'Kapat mål',
      serves_new: 'trygghet',
    });
    expect(invokeText(save)).toBe(NOT_FOUND);
    const retire = await asPrincipal(VERBS.schoolGoalRetire, { schoolId: 'en-annan-skola', goalId: 'studiero', version: '1' });
    expect(invokeText(retire)).toBe(NOT_FOUND);
    const confirm = await asPrincipal(VERBS.schoolGoalRetireConfirm, { schoolId: 'en-annan-skola', goalId: 'studiero', version: '1' });
    expect(invokeText(confirm)).toBe(NOT_FOUND);
    expect(await bot.stores.schoolGoals.list('en-annan-skola')).toEqual([]);
  });

  test("when a teacher saves or retires her school's goals by a crafted card then only the principal may, and nothing changes", async () => {
    const before = await bot.stores.schoolGoals.list('exempelskolan');
    const save = await bot.send(
      inOtherChat(anna, VERBS.schoolGoalSave, { schoolId: 'exempelskolan', goalId: '', version: '0', title_new: 'Kapat mål', serves_new: 'trygghet' }),
    );
    expect(invokeText(save)).toMatch(/^Bara skolans rektor/);
    const retire = await bot.send(inOtherChat(anna, VERBS.schoolGoalRetire, { schoolId: 'exempelskolan', goalId: 'studiero', version: '1' }));
    expect(invokeText(retire)).toMatch(/^Bara skolans rektor/);
    const confirm = await bot.send(inOtherChat(anna, VERBS.schoolGoalRetireConfirm, { schoolId: 'exempelskolan', goalId: 'studiero', version: '1' }));
    expect(invokeText(confirm)).toMatch(/^Bara skolans rektor/);
    expect(await bot.stores.schoolGoals.list('exempelskolan')).toEqual(before);
  });
});
