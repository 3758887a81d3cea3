import { loadConfig } from '../../src/config';
import { type Running, start } from '../../src/index';
import { VERBS } from '../../src/cards/verbs';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import { cardAction, person } from '../helpers/activities';
import { capturingLogger } from '../helpers/bot';
import { FakeConnector } from '../helpers/connector';
import { postToMessages } from '../helpers/http';

/**
 * A card pressed while Table Storage does not answer: the bot of its own
 * Azurite, stopped under it. Teams shows its own error for an invoke
 * without a response (HTTP 501, empty body); the person should read, in the
 * card, that they can try again in a moment.
 */

const larare = person('Lena Lärare', 51);
const TRY_AGAIN = 'Något gick fel hos mig och jag kunde inte göra klart det du bad om. Försök gärna igen om en stund.';

describe('a card action while storage is down', () => {
  let connector: FakeConnector;
  let azurite: EmbeddedAzurite;
  let running: Running;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    azurite = await startEmbeddedAzurite();
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
    running = await start(config, capturingLogger('silent').logger, { host: '127.0.0.1' });
    await azurite.stop();
  });

  afterAll(async () => {
    await running?.stop();
    await azurite?.stop();
    await connector?.stop();
  });

  test('when a card is pressed during a storage outage then the answer is 200 with "try again in a moment" in the card, and nothing is posted in the chat', async () => {
    connector.calls.splice(0);
    const response = await postToMessages(
      running,
      cardAction({ serviceUrl: connector.url, from: larare, verb: VERBS.groupShow, data: { groupId: 'g1' }, where: 'channel' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: TRY_AGAIN });
    expect(connector.calls).toEqual([]);
  }, 60_000);

  test('when a card is pressed in English during a storage outage then the message is in English', async () => {
    const response = await postToMessages(
      running,
      cardAction({ serviceUrl: connector.url, from: larare, verb: VERBS.principalOverview, data: {}, where: 'personal', locale: 'en-US' }),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { value: string }).value).toContain('Please try again in a while.');
  }, 60_000);
});
