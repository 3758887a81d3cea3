import { defaultDialogueTitle } from '../../src/domain/goalDialogueStart';
import { stringsFor } from '../../src/i18n';
import { channelMention, person, personalMessage, PRINCIPAL, TEAM } from '../helpers/activities';
import { testConfig } from '../helpers/bot';
import type { ConnectorCall, FakeConnector } from '../helpers/connector';
import { startFormSubmit } from '../helpers/goalDialogue';
import { type BotWithConnector, postActivity, startWithConnector } from '../helpers/http';
import { rosterRule } from '../helpers/roster';

/**
 * A person's chosen language reaches their proactive messages: through
 * /api/messages, with the invitations read from the local Bot Connector.
 */

const anna = person('Anna Lindqvist', 31);
const erik = person('Erik Johansson', 32);

function text(call: ConnectorCall): string {
  return JSON.stringify(call.body);
}

describe('invitations in the language each person chose', () => {
  let bot: BotWithConnector;
  let connector: FakeConnector;

  beforeAll(async () => {
    bot = await startWithConnector(testConfig(), { rules: [rosterRule(TEAM.id, [PRINCIPAL, anna, erik])] });
    ({ connector } = bot);
  });

  afterAll(() => bot?.stop());

  test('when a principal in an English Teams starts a dialogue then the teacher who chose Swedish is invited in Swedish and the other in English', async () => {
    const post = (activity: unknown) => postActivity(bot.running, activity);
    const serviceUrl = connector.url;
    const { term, year } = defaultDialogueTitle(new Date(), 'Europe/Stockholm');

    // Anna runs Teams in English but chose Swedish for Målbild.
    expect(await post(personalMessage({ serviceUrl, from: anna, text: 'language swedish', locale: 'en-US' }))).toBeDefined();
    await connector.waitFor((c) => c.method === 'POST' && text(c).includes('Nu skriver jag till dig på svenska'));

    await post(channelMention({ serviceUrl, from: PRINCIPAL, text: 'start goal dialogue', locale: 'en-US' }));
    await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Start a goal dialogue'));
    await post({ ...startFormSubmit(serviceUrl, 'form-1', { title: stringsFor('en').goals.defaultTitle(term, year) }), locale: 'en-US' });

    const toAnna = await connector.waitFor((c) => c.method === 'POST' && c.conversationId !== TEAM.id && text(c).includes('Hej Anna!'), 15_000);
    expect(text(toAnna)).toContain(stringsFor('sv').goals.defaultTitle(term, year));
    const toErik = await connector.waitFor((c) => c.method === 'POST' && c.conversationId !== TEAM.id && text(c).includes('Hi Erik!'), 15_000);
    expect(text(toErik)).toContain(stringsFor('en').goals.defaultTitle(term, year));
    expect(text(toErik)).not.toContain('Hej');
  });
});
