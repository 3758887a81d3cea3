import { VERBS } from '../../src/cards/verbs';
import { cardAction, person } from '../helpers/activities';
import { invokeBody, messagesIn } from '../helpers/cards';
import { conversationHarness } from '../helpers/conversation';

/** A card action whose work fails unexpectedly (storage gone mid-turn): answered in the card, never with an error of Teams' own. */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const larare = person('Lena Lärare', 61);

describe('a card action that fails unexpectedly', () => {
  test('when storage fails inside a card action then the card says to try again in a moment, with status 200 and no detail, and the error is logged with the activity id', async () => {
    const bot = await conversationHarness();
    bot.deps.groups.groupFor = async () => {
      throw new Error('storage is down: secret detail');
    };
    const activity = cardAction({ serviceUrl, from: larare, verb: VERBS.groupShow, data: { groupId: 'g1' }, where: 'channel' });
    const replies = await bot.send(activity);
    expect(invokeBody(replies)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Något gick fel hos mig och jag kunde inte göra klart det du bad om. Försök gärna igen om en stund.',
    });
    expect(replies.filter((r) => r.type === 'invokeResponse')).toHaveLength(1);
    expect(messagesIn(replies)).toEqual([]);
    expect(JSON.stringify(replies)).not.toContain('secret detail');
    expect(bot.logLines.some((line) => line.msg === 'card action failed' && line.activityId === activity.id)).toBe(true);
  });
});
