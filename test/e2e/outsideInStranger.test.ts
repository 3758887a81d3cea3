import { commandsIn } from '../../src/bot/commands';
import { stringsFor } from '../../src/i18n';
import { channelMention, person, PRINCIPAL, personalMessage, groupChatMention as mentionInGroupChat } from '../helpers/activities';
import { localBotPerDescribe } from '../helpers/frontDoor';

/**
 * What a stranger types through /api/messages: commands dressed in emoji
 * and punctuation, the help card she reads on a phone, and a teacher asking
 * for the results where they are not shown.
 */

const sv = stringsFor('sv');
const en = stringsFor('en');
const lena = person('Lena Lärare', 961);

/** A string as it appears inside the JSON of a sent activity. */
function quoted(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function groupChatMention(serviceUrl: string, text: string, locale = 'sv-SE') {
  return mentionInGroupChat({ serviceUrl, from: lena, text, locale, chatId: '19:outside-in-stranger@thread.v2' });
}

describe('a command with emoji or punctuation around it', () => {
  const bot = localBotPerDescribe();
  const { repliesTo } = bot;
  const say = (text: string, locale = 'sv-SE') => repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text, locale }));

  test.each(['👋 hjälp', 'hjälp 🙂', '» hjälp', '🙋‍♀️ Hjälp?!', '"hjälp"', '👍🏽hjälp'])(
    'when a teacher writes "%s" in her 1:1 chat then the help card answers',
    async (text) => {
      const replies = await say(text);
      expect(replies).toEqual([expect.stringContaining(sv.help.title)]);
    },
  );

  test('when a teacher writes "🙂 mina mål" then her goals answer, not "Det där förstod jag inte"', async () => {
    const replies = await say('🙂 mina mål');
    expect(replies).toEqual([expect.stringContaining(quoted(sv.goals.myGoals.none))]);
    // A new teacher is told where her goals will come from, not only that there are none.
    expect(replies[0]).toContain('får du en inbjudan här i chatten');
  });

  test('when a teacher writes "🙂 mina mål förra läsåret" then last läsår is read, not the pointer to hjälp', async () => {
    const replies = await say('🙂 mina mål förra läsåret');
    expect(replies).toHaveLength(1);
    expect(replies[0]).not.toContain(quoted(sv.fallback));
    expect(replies[0]).not.toContain(sv.help.title);
  });

  test('when a teacher writes "» fortsätt" then she is told there is nothing to continue', async () => {
    expect(await say('» fortsätt')).toEqual([expect.stringContaining(quoted(sv.goals.noActive))]);
  });

  test('when someone in an English Teams writes "👋 help" then the help card answers in English', async () => {
    expect(await say('👋 help', 'en-US')).toEqual([expect.stringContaining(en.help.title)]);
  });

  test('when a teacher writes "@Målbild 👋 hjälp" in the staff team then the help card of the channel answers', async () => {
    const replies = await repliesTo(channelMention({ serviceUrl: bot.connector.url, from: lena, text: '👋 hjälp' }));
    expect(replies).toEqual([expect.stringContaining(sv.help.introMention)]);
  });

  test('when a teacher writes "👋 hej" then the welcome answers', async () => {
    expect(await say('👋 hej')).toEqual([expect.stringContaining(sv.welcome.title)]);
  });

  test('when words follow the command then it is no command: "hjälp, jag förstår inte 🙂" gets the pointer to hjälp', async () => {
    expect(await say('hjälp, jag förstår inte 🙂')).toEqual([expect.stringContaining(quoted(sv.fallback))]);
  });

  test.each(['👍', ' 🙂 🙂 ', '?!'])('when a teacher sends only "%s" then the help card answers, as for a message with nothing to read', async (text) => {
    expect(await say(text)).toEqual([expect.stringContaining(sv.help.title)]);
  });

  test('when a teacher writes "👋 språk engelska" then English is chosen, not the card asking which', async () => {
    expect(await say('👋 språk engelska')).toEqual([expect.stringContaining(quoted(en.language.chosen))]);
  });

  test('when a teacher writes "språk svenska 🙂" then Swedish is chosen', async () => {
    expect(await say('språk svenska 🙂')).toEqual([expect.stringContaining(quoted(sv.language.chosen))]);
  });
});

describe('the help card on a phone', () => {
  const bot = localBotPerDescribe();
  const { repliesTo } = bot;

  test('when a teacher asks for help in her 1:1 chat then every command of the chat is on the card, the less used behind two buttons', async () => {
    const [reply] = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text: 'hjälp' }));
    for (const command of commandsIn('personal')) expect(reply).toContain(quoted(sv.commands[command.id].usage));
    expect(reply).toContain(quoted(sv.help.sections.goals));
    expect(reply).toContain('"Action.ToggleVisibility"');
    expect(reply).toContain(quoted(sv.help.show.leading));
    expect(reply).toContain(quoted(sv.help.show.more));
    expect(reply).not.toContain('FactSet');
    expect(Buffer.byteLength(reply ?? '')).toBeLessThan(40 * 1024);
  });

  test('when a principal asks for help in the staff channel then what she starts there is on the card at once, not behind a button', async () => {
    const [reply] = await repliesTo(channelMention({ serviceUrl: bot.connector.url, from: PRINCIPAL, text: 'hjälp' }));
    const card = JSON.parse(reply ?? '{}') as { attachments?: { content?: { body?: { id?: string; isVisible?: boolean; items?: { text?: string }[] }[] } }[] };
    const hidden = (card.attachments?.[0]?.content?.body ?? []).filter((element) => element.isVisible === false);
    expect(JSON.stringify(hidden)).not.toContain(quoted(sv.help.sections.leading));
    expect(reply).toContain(quoted(sv.help.sections.leading));
    expect(reply).toContain(quoted(sv.commands.startDialogue.usage));
    expect(reply).not.toContain(quoted(sv.help.show.leading));
  });

  test('when someone asks for help in a group chat of an English Teams then the card shows the learning groups first, in English', async () => {
    const [reply] = await repliesTo(groupChatMention(bot.connector.url, 'help', 'en-US'));
    expect(reply).toContain(quoted(en.help.sections.groups));
    for (const command of commandsIn('groupChat')) expect(reply).toContain(quoted(en.commands[command.id].usage));
    expect(reply).not.toContain(quoted(sv.help.title));
  });
});

describe('a teacher asks for the results outside the staff team', () => {
  const bot = localBotPerDescribe();
  const { repliesTo } = bot;

  test('when a teacher writes "@Målbild resultat" in a group chat then she is told where the results are shown, not sent to her 1:1 chat', async () => {
    const replies = await repliesTo(groupChatMention(bot.connector.url, 'resultat'));
    expect(replies).toEqual([expect.stringContaining(quoted(sv.indicators.results.notHere))]);
    expect(replies[0]).not.toContain(quoted(sv.onlyInChat('resultat', '')).slice(0, 40));
  });

  test('when she asks "results" in a group chat of an English Teams then the answer is in English', async () => {
    const replies = await repliesTo(groupChatMention(bot.connector.url, 'results', 'en-US'));
    expect(replies).toEqual([expect.stringContaining(quoted(en.indicators.results.notHere))]);
  });
});

describe('what a principal, a polite teacher and an old card get', () => {
  const bot = localBotPerDescribe();
  const { repliesTo } = bot;

  test('when the principal writes "resultatdialog" in her 1:1 chat then she is told who sees it and where she answers, not the follow-up refusal', async () => {
    const replies = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: PRINCIPAL, text: 'resultatdialog' }));
    expect(replies).toEqual([expect.stringContaining(quoted(sv.resultDialogue.notOwner))]);
    expect(replies[0]).not.toContain(quoted(sv.followUp.notOwner));
  });

  test('when a teacher in an English Teams writes "result dialogue" then she is told so in English', async () => {
    const replies = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text: 'result dialogue', locale: 'en-US' }));
    expect(replies).toEqual([expect.stringContaining(quoted(en.resultDialogue.notOwner))]);
  });

  test.each(['tack', 'Tack så mycket!', 'tack 🙏'])('when a teacher writes "%s" then she gets a kind answer, not "Det där förstod jag inte"', async (text) => {
    const replies = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text }));
    expect(replies).toEqual([expect.stringContaining(quoted(sv.unknownInput.thanks))]);
  });

  test('when someone writes "@Målbild thanks" in the staff team of an English Teams then the answer is in English', async () => {
    const replies = await repliesTo(channelMention({ serviceUrl: bot.connector.url, from: lena, text: 'thanks', locale: 'en-US' }));
    expect(replies).toEqual([expect.stringContaining(quoted(en.unknownInput.thanksMention))]);
  });

  test('when an old card sends an Action.Submit (a message with data, no text) then the button is said not to work, and nothing is acted on', async () => {
    const submit = {
      ...personalMessage({ serviceUrl: bot.connector.url, from: lena, text: '' }),
      text: undefined,
      value: { verb: 'mal.borja', dialogueId: 'd1' },
    };
    const replies = await repliesTo(submit);
    expect(replies).toEqual([expect.stringContaining(quoted(sv.unknownInput.cardAction))]);
  });

  test('when a läsår unknown to the organisation is asked for in an English Teams then the list of läsår is in English', async () => {
    const replies = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text: 'my goals 1999-00', locale: 'en-US' }));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('**2026-27**');
    expect(replies[0]).not.toContain('Läsåret');
  });
});
