import { VERBS } from '../../src/cards/verbs';
import { cardAction, person, personalMessage, PRINCIPAL } from '../helpers/activities';
import { actionsOf, cardOf, elementsOf, invokeCard, invokeText } from '../helpers/cards';
import { longAnswer, rosterOf } from '../helpers/goalDialogue';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * The goal summary on a phone: each goal a short block with one "Ändra mål
 * N" (a ShowCard with the parts to change), long parts cut with "Visa
 * allt", and "Bekräfta" at the bottom. The layout itself is measured at 360
 * px by `npm run cards` (test/cards).
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');
const anna = person('Anna Lindqvist', 41);

let bot: ConversationHarness;
let dialogueId: string;
const say = (text: string) => bot.send(personalMessage({ serviceUrl, from: anna, text }));
const press = (verb: string, data: Record<string, unknown>) =>
  bot.send(cardAction({ serviceUrl, from: anna, verb, data: { dialogueId, ...data }, where: 'personal' }));

beforeEach(async () => {
  bot = await conversationHarness({ members: rosterOf([PRINCIPAL, anna]), clock: () => now });
  const form = {
    title: 'Målsamtal HT 2026',
    goalIds: 'studiero,las-och-skriv',
    deadline: '2026-09-30',
    participantMode: 'everyone',
    participantIds: '',
    reminders: 'false',
    schoolId: 'exempelskolan',
  };
  await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data: form, where: 'channel', replyToId: 'form-1' }));
  dialogueId = bot.effects.started[0]!.id;
});

async function writeGoal(how: string): Promise<void> {
  await say('1');
  await say(longAnswer('Mål'));
  await say(how);
  await say(longAnswer('Tecken'));
}

const LONG_HOW = `${longAnswer('Arbete')} och dessutom lässamtal i par på fredagar och en läslogg som eleverna tar hem varje vecka`;

describe('the goal summary on a phone', () => {
  test('when she has written two goals then each has one "Ändra mål N" with the five parts to change, and "Bekräfta mina mål" comes after the goals', async () => {
    await press(VERBS.goalsBegin, {});
    await writeGoal(LONG_HOW);
    await say('nej');
    await press(VERBS.goalsAdd, { version: 0 });
    await writeGoal(longAnswer('Arbete'));
    const [summary] = await say('nej');
    const card = cardOf(summary);

    const showCards = elementsOf(card, (element) => element.type === 'Action.ShowCard');
    expect(showCards.map((action) => action.title)).toEqual(['Ändra mål 1', 'Ändra mål 2']);
    const parts = elementsOf(showCards[1], (element) => element.type === 'Action.Execute');
    expect(parts.map((action) => [action.title, (action.data as { step?: string }).step ?? 'remove'])).toEqual([
      ['Skolans mål', 'schoolGoals'],
      ['Mål', 'goal'],
      ['Så arbetar jag', 'how'],
      ['Så märker jag att vi är på väg', 'evidence'],
      ['Stöd jag behöver', 'support'],
      ['Ta bort målet', 'remove'],
    ]);
    // No row with more than three buttons; the card's own row ends it, Bekräfta first.
    for (const row of elementsOf(card, (element) => Array.isArray(element.actions))) expect((row.actions as unknown[]).length).toBeLessThanOrEqual(3);
    expect(actionsOf(summary).map((action) => action.title)).toEqual(['Bekräfta mina mål', 'Lägg till ett mål']);
  });

  test('when an answer is long then the summary shows it cut with "…" and "Visa allt" shows the whole of it', async () => {
    await press(VERBS.goalsBegin, {});
    await writeGoal(LONG_HOW);
    const [summary] = await say('nej');
    const card = cardOf(summary);
    const texts = elementsOf(card, (element) => element.type === 'TextBlock').map((block) => String(block.text));
    expect(texts.some((text) => text.startsWith('**Så arbetar jag:**') && text.endsWith('…'))).toBe(true);
    expect(texts).toContain(`**Så arbetar jag:** ${LONG_HOW}`);
    const [toggle] = elementsOf(card, (element) => element.type === 'Action.ToggleVisibility');
    expect(toggle).toMatchObject({ title: 'Visa allt', targetElements: ['short-0', 'full-0'] });
    expect(elementsOf(card, (element) => element.id === 'full-0')).toEqual([expect.objectContaining({ isVisible: false })]);
  });

  test('when she presses a part under "Ändra mål 1" then that step opens with her answer to change', async () => {
    await press(VERBS.goalsBegin, {});
    await writeGoal(LONG_HOW);
    const [summary] = await say('nej');
    const [how] = elementsOf(cardOf(summary), (element) => element.type === 'Action.Execute' && element.title === 'Så arbetar jag');
    const opened = await press(VERBS.goalsEdit, how!.data as Record<string, unknown>);
    expect(invokeText(opened)).toContain(LONG_HOW);
    expect(elementsOf(cardOf(invokeCard(opened)), (element) => element.type === 'Input.Text')).toEqual([expect.objectContaining({ value: LONG_HOW })]);
  });
});
