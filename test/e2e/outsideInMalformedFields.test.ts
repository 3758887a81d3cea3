import { person, personalMessage } from '../helpers/activities';
import { localBotPerDescribe } from '../helpers/frontDoor';
import { postToMessages } from '../helpers/http';

/**
 * Fields of a well-formed activity with a type or a size Teams never sends:
 * refused with 400 before any turn, like an activity without a sender
 * (malformedActivities.test.ts), instead of failing inside the turn with
 * an error in the log and "något gick fel" to the sender.
 */

const larare = person('Fia Fältfel', 952);
const long = (n: number) => 'x'.repeat(n);

function messageWith(connectorUrl: string, change: (activity: Record<string, unknown>) => void): Record<string, unknown> {
  const activity: Record<string, unknown> = personalMessage({ serviceUrl: connectorUrl, from: { ...larare }, text: 'mina mål' });
  change(activity);
  return activity;
}

describe('activities whose fields have the wrong type or size (local mode)', () => {
  const bot = localBotPerDescribe({ logLevel: 'info' });
  const { lines } = bot;

  const malformed: [string, (a: Record<string, unknown>) => void][] = [
    ['a text that is a number', (a) => (a.text = 42)],
    ['a text that is an object', (a) => (a.text = { text: 'mina mål' })],
    ['a locale that is a number', (a) => (a.locale = 1053)],
    ['entities that are not a list', (a) => (a.entities = 'mention')],
    ['an entity that is null', (a) => (a.entities = [null])],
    ['an entity without a type', (a) => (a.entities = [{ text: '<at>Målbild</at>' }])],
    ['a mention that names nobody', (a) => (a.entities = [{ type: 'mention', text: '<at>Målbild</at>' }])],
    ['an activity id longer than any Teams id', (a) => (a.id = long(1000))],
    ['a conversation id longer than any Teams id', (a) => (a.conversation = { ...(a.conversation as object), id: `a:${long(1000)}` })],
    ['a sender id longer than any Teams id', (a) => (a.from = { ...(a.from as object), id: `29:${long(1000)}` })],
    ['a tenant id longer than any tenant id', (a) => (a.conversation = { ...(a.conversation as object), tenantId: long(1000) })],
    ['a conversation id with control characters', (a) => (a.conversation = { ...(a.conversation as object), id: 'a:one\u0000two' })],
  ];

  test.each(malformed)('when the activity has %s then it gets 400, no turn runs and nothing is sent', async (_name, change) => {
    const response = await postToMessages(bot.running, messageWith(bot.connector.url, change));
    expect(response.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.connector.calls).toEqual([]);
    expect(lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
    expect(lines.filter((line) => (line.level as number) >= 40)).toMatchObject([{ level: 40, msg: 'request refused: not an activity a turn can run on' }]);
  });

  const acceptable: [string, (a: Record<string, unknown>) => void][] = [
    ['no text (null)', (a) => (a.text = null)],
    ['a locale Målbild does not speak', (a) => (a.locale = 'de-DE')],
    ['no locale', (a) => delete a.locale],
    ['a mention of someone else', (a) => (a.entities = [{ type: 'mention', text: '<at>Ola</at>', mentioned: { id: '29:ola', name: 'Ola' } }])],
    ['a Teams-long personal conversation id', (a) => (a.conversation = { ...(a.conversation as object), id: `a:1${long(140)}` })],
  ];

  test.each(acceptable)('when the activity has %s then the turn runs as before', async (_name, change) => {
    const response = await postToMessages(bot.running, messageWith(bot.connector.url, change));
    expect(response.status).toBe(200);
    expect(lines.filter((line) => (line.level as number) >= 40)).toEqual([]);
  });
});
