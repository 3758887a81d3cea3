import { stringsFor } from '../../src/i18n';
import { channelMention, person, personalMessage, PRINCIPAL } from '../helpers/activities';
import { localBotPerDescribe } from '../helpers/frontDoor';

/**
 * `puffar` with no nudges yet, through /api/messages: the empty list
 * invites `ny puff` only when the person may make one there, so that a
 * teacher is not sent to a command that then refuses her.
 */

const sv = stringsFor('sv');
const en = stringsFor('en');
const lena = person('Lena Lärare', 954);

describe('the empty list of puffar', () => {
  const bot = localBotPerDescribe();

  async function replyTo(activity: unknown): Promise<string> {
    const sent = await bot.repliesTo(activity);
    expect(sent).toHaveLength(1);
    return sent[0]!;
  }

  test('when a teacher writes "puffar" in her 1:1 chat then the list says there are none, without sending her to "ny puff"', async () => {
    const reply = await replyTo(personalMessage({ serviceUrl: bot.connector.url, from: lena, text: 'puffar' }));
    expect(reply).toContain(sv.nudges.list.titlePersonal);
    expect(reply).not.toContain('ny puff');
  });

  test('when a teacher writes "nudges" in the staff team of an English Teams then the list says there are none, without sending her to "new nudge"', async () => {
    const reply = await replyTo(channelMention({ serviceUrl: bot.connector.url, from: lena, text: 'nudges', locale: 'en-US' }));
    expect(reply).toContain(en.nudges.list.title);
    expect(reply).not.toContain('new nudge');
  });

  test('when the principal writes "puffar" in the staff team then the empty list invites her to make one', async () => {
    const reply = await replyTo(channelMention({ serviceUrl: bot.connector.url, from: PRINCIPAL, text: 'puffar' }));
    expect(reply).toContain(sv.nudges.list.noneMention);
  });
});
