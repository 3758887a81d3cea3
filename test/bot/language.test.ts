import { VERBS } from '../../src/cards/verbs';
import { cardAction, channelMention, person, personalMessage, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { actionsOf, cardText, submission } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';
import { rosterOf } from '../helpers/goalDialogue';

/**
 * `språk` / `language`: a person chooses Swedish or English for Målbild,
 * stored per person and preferred over the language of their Teams.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const anna = person('Anna Lindqvist', 21);
const erik = person('Erik Johansson', 22);
const now = new Date('2026-09-01T08:00:00Z');

describe('the language a person chooses', () => {
  let bot: ConversationHarness;
  const say = (from: typeof anna, text: string, locale = 'sv-SE') => bot.send(personalMessage({ serviceUrl, from, text, locale }));

  beforeEach(async () => {
    bot = await conversationHarness({ members: rosterOf([PRINCIPAL, anna, erik]), clock: () => now });
  });

  test('when a teacher in a Swedish Teams writes "language english" then the answer and what follows are in English', async () => {
    const [answer] = await say(anna, 'language english');
    expect(answer?.text).toContain('I will write to you in English');
    const [help] = await say(anna, 'hjälp');
    expect(cardText(help)).toContain('What you can do');
    expect(await bot.stores.languages.chosenLanguage(TENANT_ID, anna.aadObjectId)).toBe('en');
    // Someone else in the same Swedish Teams still reads Swedish.
    expect(cardText((await say(erik, 'hjälp'))[0])).toContain('Det här kan du göra');
  });

  test.each([['språk engelska'], ['Språk English'], ['language EN']])('when she writes %p then she is answered in English', async (text) => {
    const [answer] = await say(anna, text);
    expect(answer?.text).toContain('in English');
  });

  test('when a teacher in an English Teams writes "språk svenska" then Målbild speaks Swedish to her', async () => {
    const [answer] = await say(anna, 'språk svenska', 'en-US');
    expect(answer?.text).toContain('Nu skriver jag till dig på svenska');
    expect(cardText((await say(anna, 'help', 'en-US'))[0])).toContain('Det här kan du göra');
  });

  test('when she writes "språk" alone then a card offers Svenska and English, and pressing English stores it and says so in English', async () => {
    const [card] = await say(anna, 'språk');
    expect(actionsOf(card).map(({ title, data }) => [title, data])).toEqual([
      ['Svenska', { language: 'sv' }],
      ['English', { language: 'en' }],
    ]);
    const [pressed] = await bot.send(cardAction({ serviceUrl, from: anna, verb: VERBS.languageChoose, data: { language: 'en' }, where: 'personal' }));
    expect(JSON.stringify(pressed?.value)).toContain('I will write to you in English');
    expect(cardText((await say(anna, 'hjälp'))[0])).toContain('What you can do');
  });

  test('when "språk" is followed by a language Målbild does not speak then the card offers the two it does', async () => {
    const [card] = await say(anna, 'språk franska');
    expect(actionsOf(card).map(({ title }) => title)).toEqual(['Svenska', 'English']);
    expect(await bot.stores.languages.chosenLanguage(TENANT_ID, anna.aadObjectId)).toBeUndefined();
  });

  test('when the help card is shown then it lists the language command', async () => {
    expect(cardText((await say(anna, 'hjälp'))[0])).toContain('språk');
    expect(cardText((await say(erik, 'help', 'en-GB'))[0])).toContain('language');
  });

  test('when a person never chose then her turns after the first make no request for the language', async () => {
    await say(erik, 'hjälp');
    const requests = await bot.tableRequests(() => say(erik, 'hjälp'));
    expect(requests.filter((request) => request.table === 'languages')).toEqual([]);
  });

  describe('the title of a goal dialogue', () => {
    async function startDialogue(title?: string): Promise<void> {
      const [form] = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
      const data = submission(form, VERBS.dialogueStart, { deadline: '2026-09-30', ...(title ? { title } : {}) });
      await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data, where: 'channel' }));
    }

    test('when the principal keeps the suggested title then a teacher who chose English reads "Goal dialogue autumn 2026" and one in Swedish "Målsamtal HT 2026"', async () => {
      await startDialogue();
      await say(anna, 'language english');
      const english = cardText((await say(anna, 'mina mål'))[0]);
      expect(english).toContain('Goal dialogue autumn 2026');
      expect(english).not.toContain('Målsamtal HT 2026');
      expect(cardText((await say(erik, 'mina mål'))[0])).toContain('Målsamtal HT 2026');
      expect(bot.effects.started[0]).toMatchObject({ title: 'Målsamtal HT 2026', term: { term: 'HT', year: 2026 } });
    });

    test('when the principal in an English Teams keeps the suggested title then a teacher in Swedish reads "Målsamtal HT 2026"', async () => {
      const [form] = await bot.send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'start goal dialogue', locale: 'en-US' }));
      expect(cardText(form)).toContain('Goal dialogue autumn 2026');
      const data = submission(form, VERBS.dialogueStart, { deadline: '2026-09-30' });
      await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.dialogueStart, data, where: 'channel', locale: 'en-US' }));
      expect(cardText((await say(erik, 'mina mål'))[0])).toContain('Målsamtal HT 2026');
    });

    test('when the principal writes a title of her own then every reader sees it as written', async () => {
      await startDialogue('Läsfokus 4B');
      await say(anna, 'language english');
      expect(cardText((await say(anna, 'my goals'))[0])).toContain('Läsfokus 4B');
      expect(bot.effects.started[0]?.term).toBeUndefined();
    });
  });
});
