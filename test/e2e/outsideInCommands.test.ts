import { stringsFor } from '../../src/i18n';
import { channelMention, person, personalMessage, groupChatMention as mentionInGroupChat } from '../helpers/activities';
import { localBotPerDescribe } from '../helpers/frontDoor';

/**
 * A newcomer's commands through /api/messages, as a stranger types them:
 * every one gets an answer in her language that tells her what to do next,
 * never silence and never an answer to another question.
 */

const sv = stringsFor('sv');
const en = stringsFor('en');
const lena = person('Lena Lärare', 951);

function groupChatMention(serviceUrl: string, text: string, locale = 'sv-SE') {
  return mentionInGroupChat({ serviceUrl, from: lena, text, locale, chatId: '19:outside-in-group@thread.v2' });
}

describe('a newcomer types commands', () => {
  const bot = localBotPerDescribe();
  const { repliesTo } = bot;

  test('when a teacher writes "skolans mål" in the staff team then she is told that only the principal changes the school goals, not that she cannot start a dialogue', async () => {
    const replies = await repliesTo(channelMention({ serviceUrl: bot.connector.url, from: lena, text: 'skolans mål' }));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(sv.goals.onlyPrincipal(sv.goals.actions.editGoals));
    expect(replies[0]).not.toContain(sv.goals.actions.start);
  });

  test('when a teacher writes "school goals" in an English Teams then she is told the same in English', async () => {
    const replies = await repliesTo(channelMention({ serviceUrl: bot.connector.url, from: lena, text: 'school goals', locale: 'en-US' }));
    expect(replies[0]).toContain(en.goals.onlyPrincipal(en.goals.actions.editGoals));
  });

  test('when "starta målsamtal" is written in a group chat then the answer says it is started from the staff team', async () => {
    const replies = await repliesTo(groupChatMention(bot.connector.url, 'starta målsamtal'));
    expect(replies).toEqual([expect.stringContaining(JSON.stringify(sv.goals.notInTeam).slice(1, -1))]);
  });

  test('when "start goal dialogue" is written in a group chat of an English Teams then the answer says so in English', async () => {
    const replies = await repliesTo(groupChatMention(bot.connector.url, 'start goal dialogue', 'en-US'));
    expect(replies).toEqual([expect.stringContaining(JSON.stringify(en.goals.notInTeam).slice(1, -1))]);
  });
});

describe('a message with nothing to read', () => {
  const bot = localBotPerDescribe();
  const { repliesTo } = bot;

  test('when someone only @mentions Målbild in the staff team then the help card of the channel answers', async () => {
    const activity = { ...channelMention({ serviceUrl: bot.connector.url, from: lena, text: '' }), text: '<at>Målbild</at>' };
    const replies = await repliesTo(activity);
    expect(replies).toEqual([expect.stringContaining(sv.help.title)]);
    expect(replies[0]).toContain(sv.help.introMention);
  });

  test('when someone only @mentions Målbild in a group chat of an English Teams then the help card answers in English', async () => {
    const activity = { ...groupChatMention(bot.connector.url, '', 'en-US'), text: '<at>Målbild</at>&nbsp;' };
    const replies = await repliesTo(activity);
    expect(replies).toEqual([expect.stringContaining(en.help.title)]);
  });

  test('when a picture without text is sent in the 1:1 chat then the help card answers', async () => {
    const activity = {
      ...personalMessage({
        serviceUrl: bot.connector.url,
        from: lena,
        text: '<div><div><img src="https://eu-api.asm.skype.com/v1/objects/0-x/views/imgo" itemtype="http://schema.skype.com/AMSImage"></div></div>',
      }),
      textFormat: 'xml',
      attachments: [{ contentType: 'image/*', contentUrl: 'https://eu-api.asm.skype.com/v1/objects/0-x/views/imgo' }],
    };
    const replies = await repliesTo(activity);
    expect(replies).toEqual([expect.stringContaining(sv.help.title)]);
    expect(replies[0]).toContain(sv.help.intro);
  });
});

describe('a newcomer says hello', () => {
  const bot = localBotPerDescribe();
  const { repliesTo } = bot;

  test.each(['hej', 'Hej!', 'hallå', 'hi'])(
    'when a teacher writes "%s" in her 1:1 chat then the welcome answers, not "Det där förstod jag inte"',
    async (text) => {
      const replies = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text }));
      expect(replies).toEqual([expect.stringContaining(sv.welcome.title)]);
      expect(replies[0]).toContain(JSON.stringify(sv.welcome.start).slice(1, -1));
      expect(replies[0]).not.toContain(JSON.stringify(sv.fallback).slice(1, -1));
    },
  );

  test('when someone writes "hello" in an English Teams then the welcome answers in English', async () => {
    const replies = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text: 'hello', locale: 'en-US' }));
    expect(replies).toEqual([expect.stringContaining(en.welcome.title)]);
  });

  test('when someone writes "@Målbild hej" in the staff team then the welcome of a team answers', async () => {
    const replies = await repliesTo(channelMention({ serviceUrl: bot.connector.url, from: lena, text: 'hej' }));
    expect(replies).toEqual([expect.stringContaining(sv.welcome.title)]);
    expect(replies[0]).toContain(JSON.stringify(sv.welcome.startMention).slice(1, -1));
  });

  test('when a greeting comes with more words then it is not taken for a greeting', async () => {
    const replies = await repliesTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text: 'hej då' }));
    expect(replies).toEqual([expect.stringContaining(JSON.stringify(sv.fallback).slice(1, -1))]);
  });
});
