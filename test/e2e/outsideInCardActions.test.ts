import { cardAction, person, type Person } from '../helpers/activities';
import { localBotPerDescribe } from '../helpers/frontDoor';
import { postToMessages } from '../helpers/http';

/**
 * Card actions nobody's card carries (a verb forged, misspelt, of a card
 * from an older version of Målbild, or of another kind of action) through
 * /api/messages: answered in the card, in the presser's language, saying
 * the button no longer works; never Teams' own error for a 501.
 */

const larare = person('Vera Verb', 953);

describe('card actions with a verb Målbild does not know (local mode)', () => {
  const bot = localBotPerDescribe({ logLevel: 'info' });
  const { lines } = bot;

  async function press(verb: unknown, options: { from?: Person; locale?: string; type?: string } = {}): Promise<{ status: number; body: unknown }> {
    const activity = cardAction({
      serviceUrl: bot.connector.url,
      from: options.from ?? larare,
      verb: 'x',
      data: { dialogueId: "d' or PartitionKey ne '" },
      where: 'personal',
      locale: options.locale,
    });
    activity.value.action = { ...activity.value.action, type: options.type ?? 'Action.Execute', verb: verb as string };
    const response = await postToMessages(bot.running, activity);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  test.each([
    ['a forged verb', 'rektor.allaMal'],
    ['an empty verb', ''],
    ['a verb with quotes', "mal.svara'--"],
    ['a verb that is a number', 42],
  ])('when a card action has %s then the card says the button no longer works, in Swedish, and nothing is sent', async (_name, verb) => {
    const { status, body } = await press(verb);
    expect(status).toBe(200);
    expect(body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('fungerar inte längre') });
    expect(bot.connector.calls).toEqual([]);
    expect(lines.filter((line) => (line.level as number) >= 50)).toEqual([]);
  });

  test('when a card action of an unknown verb comes from an English Teams then the card says so in English', async () => {
    const { body } = await press('unknown.verb', { locale: 'en-US' });
    expect(body).toMatchObject({ value: expect.stringContaining('no longer works') });
  });

  test('when the action is not an Action.Execute then it is answered the same way', async () => {
    const { status, body } = await press('mal.borja', { type: 'Action.Submit' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ value: expect.stringContaining('fungerar inte längre') });
  });
});
