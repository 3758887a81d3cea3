import { stringsFor } from '../../src/i18n';
import { VERBS } from '../../src/cards/verbs';
import { cardAction, person, personalMessage, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { cardOf, cardText, elementsOf, invokeCard, invokeText, messagesIn } from '../helpers/cards';
import { longAnswer, rosterOf } from '../helpers/goalDialogue';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/** How a teacher's goals read and move through the cards: numbering, follow-ups, field errors, old cards, typed answers. */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const anna = person('Anna Lindqvist', 1);
const roster = rosterOf([PRINCIPAL, anna]);
/** A line Teams would show as a list item (and renumber). */
const LIST_LINE = /^\s*(\d+[.)]|[-*+])[ \t]/m;

let bot: ConversationHarness;
let dialogueId: string;
const say = (text: string, locale = 'sv-SE') => bot.send(personalMessage({ serviceUrl, from: anna, text, locale }));
const press = (verb: string, data: Record<string, unknown>, locale = 'sv-SE') =>
  bot.send(cardAction({ serviceUrl, from: anna, verb, data: { dialogueId, ...data }, where: 'personal', locale }));
const stored = async () => (await bot.stores.goalDialogues.getParticipation(dialogueId, anna.aadObjectId))!.value;

beforeEach(async () => {
  bot = await conversationHarness({ members: roster, clock: () => now });
  const form = {
    title: 'Målsamtal HT 2026',
    goalIds: 'studiero,las-och-skriv,formativ-bedomning',
    deadline: '2026-09-30',
    participantMode: 'everyone',
    participantIds: '',
    reminders: 'false',
    schoolId: 'exempelskolan',
  };
  await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: form, where: 'channel', replyToId: 'form-1' }));
  dialogueId = bot.effects.started[0]!.id;
});

/** Goals 1 and 3, every step answered by typing; returns the summary's replies. */
async function writeGoalOneAndThree(goalText = longAnswer('Mål')) {
  await press(VERBS.goalsBegin, {});
  await say('1 och 3');
  await say(goalText);
  await say(longAnswer('Arbete'));
  await say(longAnswer('Tecken'));
  return say('nej');
}

describe('school goals keep their own numbers', () => {
  test('when she ticks goals 1 and 3 then the summary shows them as 1 and 3 and no line becomes a list', async () => {
    const summary = cardText((await writeGoalOneAndThree('3. Eleverna läser en bok i månaden\n- och berättar om den'))[0]);
    expect(summary).toContain('1.\u00a0Alla elever upplever studiero');
    expect(summary).toContain('3.\u00a0Eleverna vet var de befinner sig');
    expect(summary).toContain('3.\u00a0Eleverna läser en bok i månaden\n-\u00a0och berättar om den');
    expect(summary).not.toMatch(LIST_LINE);
    expect((await stored()).goals[0]?.goal).toBe('3. Eleverna läser en bok i månaden\n- och berättar om den');
  });

  test('when she reads "mina mål" then the school goals there keep their numbers too', async () => {
    await writeGoalOneAndThree();
    await press(VERBS.goalsConfirm, {});
    const mine = cardText((await say('mina mål'))[0]);
    expect(mine).toContain('1.\u00a0Alla elever upplever studiero');
    expect(mine).toContain('3.\u00a0Eleverna vet var de befinner sig');
    expect(mine).not.toMatch(LIST_LINE);
  });
});

describe('a follow-up question keeps the first answer in sight', () => {
  test('when her answer is short then the follow-up shows "Ditt svar hittills" and the two answers are joined as paragraphs', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1');
    const followUp = await say('Läsa');
    expect(cardText(followUp[0])).toContain('Kan du beskriva lite mer konkret');
    expect(cardText(followUp[0])).toContain('Ditt svar hittills: Läsa');
    const field = JSON.stringify(cardOf(followUp[0]));
    expect(field).toContain('"id":"answer"');
    expect(field).toContain('"value":""');
    await say(longAnswer('Mer'));
    expect((await stored()).goals[0]?.goal).toBe(`Läsa\n\n${longAnswer('Mer')}`);
  });

  test('when she writes in English then the follow-up shows "Your answer so far"', async () => {
    await press(VERBS.goalsBegin, {}, 'en-US');
    await say('1', 'en-US');
    expect(cardText((await say('Read', 'en-US'))[0])).toContain('Your answer so far: Read');
  });
});

describe('a missing answer is marked at its field', () => {
  const inputs = (card: unknown) => elementsOf(card, (element) => typeof element.type === 'string' && element.type.startsWith('Input.'));
  const actions = (card: unknown) => elementsOf(card, (element) => element.type === 'Action.Execute');

  test('when the cards ask then each required field has a label, isRequired and an error message, and Back and Pause send no fields', async () => {
    const first = cardOf(invokeCard(await press(VERBS.goalsBegin, {})));
    expect(inputs(first)).toEqual([expect.objectContaining({ id: 'goalIds', isRequired: true, errorMessage: 'Välj minst ett av skolans mål.' })]);
    expect(inputs(first)[0]?.label).toContain('Vilket eller vilka av skolans mål');
    expect(actions(first).filter((action) => action.associatedInputs === 'none')).toHaveLength(2);
    const goal = cardOf((await say('1'))[0]);
    expect(inputs(goal)).toEqual([expect.objectContaining({ id: 'answer', isRequired: true, errorMessage: 'Skriv några ord här.' })]);
    const followUp = cardOf((await say('Läsa'))[0]);
    expect(inputs(followUp)[0]?.isRequired).toBe(false);
  });

  test('when the first step is sent empty from the card then the card says so next to the field and no chat message comes', async () => {
    await press(VERBS.goalsBegin, {});
    const replies = await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'schoolGoals', goalIds: '' });
    const card = cardOf(invokeCard(replies));
    const text = invokeText(replies);
    expect(text).toContain('Välj minst ett av skolans mål.');
    expect(text).not.toContain('känner jag inte igen');
    expect(elementsOf(card, (element) => element.style === 'attention')).toHaveLength(1);
    expect(messagesIn(replies)).toEqual([]);
    expect((await stored()).goals).toEqual([]);
  });

  test('when an answer over the limit comes from the card then the limit is said in the card', async () => {
    await press(VERBS.goalsBegin, {});
    await say('1');
    const replies = await press(VERBS.goalsAnswer, { goalIndex: 0, step: 'goal', answer: 'a'.repeat(4500) });
    expect(invokeText(replies)).toContain(`${(4500).toLocaleString('sv-SE')} tecken`);
    expect(messagesIn(replies)).toEqual([]);
  });
});

describe('confirmed goals are posted once and old cards show them as they are', () => {
  async function writeAndConfirm() {
    await press(VERBS.goalsBegin, {});
    await press(VERBS.goalsAnswer, { version: 0, goalIndex: 0, step: 'schoolGoals', goalIds: 'studiero' });
    await press(VERBS.goalsAnswer, { version: 0, goalIndex: 0, step: 'goal', answer: longAnswer('Mål') });
    await press(VERBS.goalsAnswer, { version: 0, goalIndex: 0, step: 'how', answer: longAnswer('Arbete') });
    await press(VERBS.goalsAnswer, { version: 0, goalIndex: 0, step: 'evidence', answer: longAnswer('Tecken') });
    await press(VERBS.goalsAnswer, { version: 0, goalIndex: 0, step: 'support', answer: '' });
    return press(VERBS.goalsConfirm, { version: 0 });
  }
  const buttons = (card: unknown) => elementsOf(card, (element) => element.type === 'Action.Execute');

  test('when she confirms in the card then the card becomes her one copy and only the thanks is posted', async () => {
    const confirmed = await writeAndConfirm();
    expect(invokeText(confirmed)).toContain(longAnswer('Mål'));
    expect(buttons(cardOf(invokeCard(confirmed)))).toEqual([]);
    expect(confirmed.filter((reply) => reply.type === 'message')).toEqual([expect.objectContaining({ text: expect.stringContaining('Tack!') })]);
    expect(confirmed.filter((reply) => cardOf(reply))).toEqual([]);
  });

  test('when she presses Ändra or Bekräfta on the summary from before confirming then it shows her confirmed goals read-only and nothing changes', async () => {
    await writeAndConfirm();
    for (const [verb, data] of [
      [VERBS.goalsEdit, { version: 0, goalIndex: 0, step: 'goal' }],
      [VERBS.goalsConfirm, { version: 0 }],
      [VERBS.goalsBegin, {}],
    ] as const) {
      const replies = await press(verb, data);
      expect(invokeText(replies)).toContain('Dina mål är redan bekräftade');
      expect(invokeText(replies)).toContain(longAnswer('Mål'));
      expect(buttons(cardOf(invokeCard(replies)))).toEqual([]);
      expect(messagesIn(replies)).toEqual([]);
    }
    const after = await stored();
    expect(after).toMatchObject({ status: 'done', versions: 1, editing: false });
    expect(bot.effects.confirmed).toHaveLength(1);
  });

  test('when she presses "Ändra mina mål" in "mina mål" then the summary opens for changes and a new confirmation is a new version', async () => {
    await writeAndConfirm();
    const mine = await say('mina mål');
    const [change] = buttons(cardOf(mine[0]));
    expect(change).toMatchObject({ title: 'Ändra mina mål', data: { dialogueId, version: 1 } });
    const summary = await press(VERBS.goalsBegin, change!.data as Record<string, unknown>);
    expect(invokeText(summary)).toContain('Bekräfta mina mål');
    await press(VERBS.goalsEdit, { version: 1, goalIndex: 0, step: 'goal' });
    await press(VERBS.goalsAnswer, { version: 1, goalIndex: 0, step: 'goal', answer: longAnswer('Nytt mål') });
    await press(VERBS.goalsConfirm, { version: 1 });
    expect(await stored()).toMatchObject({ status: 'done', versions: 2 });
    expect((await stored()).goals[0]?.goal).toBe(longAnswer('Nytt mål'));
  });

  test('when the dialogue is closed then an old card shows her goals without Ändra and says it is closed', async () => {
    await press(VERBS.goalsBegin, {});
    await press(VERBS.goalsAnswer, { version: 0, goalIndex: 0, step: 'schoolGoals', goalIds: 'studiero' });
    // Closed as the principal's close does it (how she is asked is the principal's flow, tested there).
    const open = (await bot.stores.goalDialogues.getDialogue(TENANT_ID, dialogueId))!;
    await bot.stores.goalDialogues.saveDialogue({ ...open.value, status: 'closed', closedAt: now.toISOString() }, open.eTag);
    // …and then marks the pointers that name it, so that no step saved ahead takes it for open (goalStepAhead.ts).
    await bot.stores.goalDialogues.markActivePointers(TENANT_ID, dialogueId);
    const replies = await press(VERBS.goalsAnswer, { version: 0, goalIndex: 0, step: 'goal', answer: longAnswer('Mål') });
    expect(invokeText(replies)).toContain('Målsamtalet är avslutat');
    expect(invokeText(replies)).toContain('1.\u00a0Alla elever upplever studiero');
    expect(buttons(cardOf(invokeCard(replies)))).toEqual([]);
    expect((await stored()).goals[0]?.goal).toBeUndefined();
  });
});

describe('typed text answers the invitation and the summary', () => {
  test('when she answers the invitation with "1 och 3" then the dialogue starts with those school goals and asks the goal', async () => {
    const replies = await say('1 och 3');
    expect(cardText(replies[0])).toContain('Vad ska eleverna kunna');
    expect(await stored()).toMatchObject({ status: 'in-progress', cursor: { goalIndex: 0, step: 'goal' } });
    expect((await stored()).goals[0]?.schoolGoalIds).toEqual(['studiero', 'formativ-bedomning']);
    expect((await say(longAnswer('Mål')))[0]).toBeDefined();
    expect((await stored()).goals[0]?.goal).toBe(longAnswer('Mål'));
  });

  test('when she answers the invitation with a goal then it is kept as her goal, the school goals are asked, and then how she will work', async () => {
    const replies = await say(longAnswer('Mitt mål'));
    expect(messagesIn(replies)[0]).toContain('Jag sparade det du skrev som ditt mål');
    expect(cardText(replies.find((reply) => cardOf(reply)))).toContain('Vilket eller vilka av skolans mål');
    expect((await stored()).goals[0]?.goal).toBe(longAnswer('Mitt mål'));
    expect(cardText((await say('2'))[0])).toContain('Hur kommer du att arbeta');
    expect((await stored()).goals[0]).toMatchObject({ schoolGoalIds: ['las-och-skriv'], goal: longAnswer('Mitt mål') });
  });

  test('when she greets the bot after the invitation then the first question comes, not "förstod inte"', async () => {
    const replies = await say('hej');
    expect(cardText(replies[0])).toContain('Vilket eller vilka av skolans mål');
    expect((await stored()).goals).toEqual([]);
  });

  test('when she types a command of the staff team after the invitation then she is told where it works and nothing starts', async () => {
    const replies = await say('starta målsamtal');
    expect(replies[0]?.text).toBe(stringsFor('sv').goals.notInTeam);
    expect((await stored()).goals).toEqual([]);
  });

  test('when she types "klar" at the summary then her goals are confirmed', async () => {
    await writeGoalOneAndThree();
    const replies = await say('klar');
    expect(replies[0]?.text).toContain('Tack! Dina mål är sparade');
    expect(await stored()).toMatchObject({ status: 'done', versions: 1 });
    expect(bot.effects.confirmed).toHaveLength(1);
  });

  test('when she types "done" in English at the summary then her goals are confirmed', async () => {
    await writeGoalOneAndThree();
    expect((await say('done', 'en-US'))[0]?.text).toContain('Thank you');
    expect(await stored()).toMatchObject({ status: 'done' });
  });
});
