import { botAddedToTeam, botInstalledPersonal, channelMention, installationUpdate, person, personalMessage, TENANT_ID } from '../helpers/activities';
import { cardOf, cardText } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const larare = person('Lena Lärare', 11);
const rektor = person('Rut Rektorsson', 12);

describe('welcome and help', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness();
  });

  test('when a teacher installs the bot personally then a Swedish welcome card pointing to "hjälp" arrives and the reference is stored', async () => {
    const activity = botInstalledPersonal({ serviceUrl, from: larare });
    const replies = await bot.send(activity);
    expect(replies).toHaveLength(1);
    expect(cardText(replies[0])).toContain('Hej! Jag är Målbild');
    expect(cardText(replies[0])).toContain('**hjälp**');
    const ref = await bot.stores.conversations.get(TENANT_ID, activity.conversation.id);
    expect(ref).toMatchObject({ kind: 'personal', userId: larare.id, aadObjectId: larare.aadObjectId, serviceUrl, active: true });
  });

  test('when Teams reports one install both as conversationUpdate and installationUpdate then the welcome is sent once', async () => {
    const first = await bot.send(botInstalledPersonal({ serviceUrl, from: larare }));
    const second = await bot.send(installationUpdate({ serviceUrl, from: larare, action: 'add', kind: 'personal' }));
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(0);
  });

  test('when the bot is uninstalled and installed again then it welcomes again', async () => {
    await bot.send(installationUpdate({ serviceUrl, from: larare, action: 'add', kind: 'personal' }));
    await bot.send(installationUpdate({ serviceUrl, from: larare, action: 'remove', kind: 'personal' }));
    const again = await bot.send(installationUpdate({ serviceUrl, from: larare, action: 'add', kind: 'personal' }));
    expect(again).toHaveLength(1);
  });

  test('when an English-speaking user installs the bot then the welcome is in English', async () => {
    const replies = await bot.send(botInstalledPersonal({ serviceUrl, from: larare, locale: 'en-GB' }));
    expect(cardText(replies[0])).toContain('Hi! I am Målbild');
  });

  test('when the bot is added to a team then the channel welcome says no goals are shown there and points to @mention help', async () => {
    const replies = await bot.send(botAddedToTeam({ serviceUrl, from: rektor }));
    expect(cardText(replies[0])).toContain('Ingens mål visas i kanalen');
    expect(cardText(replies[0])).toContain('@Målbild hjälp');
  });

  test('when a user other than the bot is added to the team then nothing is sent', async () => {
    const activity = { ...botAddedToTeam({ serviceUrl, from: rektor }), membersAdded: [{ id: larare.id }] };
    expect(await bot.send(activity)).toHaveLength(0);
  });

  test.each([['hjälp'], ['Hjälp'], ['HELP'], ['  help  '], ['hjälp!'], ['/help']])(
    'when a teacher writes %p in the personal chat then the help card lists the commands',
    async (text) => {
      const replies = await bot.send(personalMessage({ serviceUrl, from: larare, text }));
      expect(replies).toHaveLength(1);
      expect(cardOf(replies[0])).toBeDefined();
      expect(cardText(replies[0])).toContain('hjälp');
    },
  );

  test('when a teacher writes "help" with an English locale then the help card is in English', async () => {
    const replies = await bot.send(personalMessage({ serviceUrl, from: larare, text: 'help', locale: 'en-US' }));
    expect(cardText(replies[0])).toContain('What you can do');
  });

  test('when the bot is @mentioned with "hjälp" in a channel then the help card answers there', async () => {
    const replies = await bot.send(channelMention({ serviceUrl, from: rektor, text: 'hjälp' }));
    expect(cardText(replies[0])).toContain('Det här kan du göra');
    expect(cardText(replies[0])).toContain('Nämn mig med @Målbild');
  });

  test.each([['hjälpsam'], ['help me please'], ['jag behöver hjälp']])(
    'when a teacher writes %p then it is not taken for the help command but pointed to "hjälp"',
    async (text) => {
      const replies = await bot.send(personalMessage({ serviceUrl, from: larare, text }));
      expect(replies).toHaveLength(1);
      expect(cardOf(replies[0])).toBeUndefined();
      expect(replies[0]?.text).toContain('Skriv **hjälp**');
    },
  );

  test('when text outside any flow is @mentioned in a channel then the pointer names @Målbild hjälp', async () => {
    const replies = await bot.send(channelMention({ serviceUrl, from: rektor, text: 'vad gör du?' }));
    expect(replies[0]?.text).toContain('@Målbild hjälp');
  });

  test('when "@Målbild visa mål" is written in a channel then the answer points to the 1:1 chat with a link to it', async () => {
    const replies = await bot.send(channelMention({ serviceUrl, from: rektor, text: 'visa mål' }));
    expect(replies.map((r) => r.text)).toEqual([
      expect.stringContaining(
        'Det gör du i din egen chatt med Målbild, så att ingen annan ser det. [Öppna chatten](https://teams.microsoft.com/l/chat/0/0?users=',
      ),
    ]);
    expect(replies[0]?.text).toContain('och skriv **visa mål** där.');
    expect(replies[0]?.text).not.toContain('förstod');
  });
});

describe('allowed tenants', () => {
  test('when ALLOWED_TENANTS names other tenants then an activity from this tenant gets no answer and nothing is stored', async () => {
    const bot = await conversationHarness({ allowedTenants: ['00000000-0000-0000-0000-000000000001'] });
    const activity = personalMessage({ serviceUrl, from: larare, text: 'hjälp' });
    expect(await bot.send(activity)).toHaveLength(0);
    expect(await bot.stores.conversations.get(TENANT_ID, activity.conversation.id)).toBeUndefined();
  });

  test('when ALLOWED_TENANTS names this tenant then the bot answers', async () => {
    const bot = await conversationHarness({ allowedTenants: [TENANT_ID] });
    expect(await bot.send(personalMessage({ serviceUrl, from: larare, text: 'hjälp' }))).toHaveLength(1);
  });
});

describe('the turn-error handler', () => {
  test('when storage fails during a turn then the user is told in Swedish that something went wrong, without details, and the error is logged with the activity id', async () => {
    const bot = await conversationHarness();
    bot.deps.conversations.save = async () => {
      throw new Error('storage is down: secret detail');
    };
    const activity = personalMessage({ serviceUrl, from: larare, text: 'hjälp' });
    const replies = await bot.send(activity);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('Något gick fel');
    expect(replies[0]?.text).not.toContain('secret detail');
    expect(bot.logLines.some((line) => line.msg === 'turn failed' && line.activityId === activity.id)).toBe(true);
  });

  test('when a turn fails for an English-speaking user then the message is in English', async () => {
    const bot = await conversationHarness();
    bot.deps.conversations.save = async () => {
      throw new Error('down');
    };
    const replies = await bot.send(personalMessage({ serviceUrl, from: larare, text: 'help', locale: 'en-US' }));
    expect(replies[0]?.text).toContain('Something went wrong');
  });
});
