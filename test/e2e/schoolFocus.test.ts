import { cardAction, channelMention, person, PRINCIPAL, TEAM } from '../helpers/activities';
import { testConfig } from '../helpers/bot';
import type { ConnectorCall, FakeConnector } from '../helpers/connector';
import { startFormSubmit } from '../helpers/goalDialogue';
import { type BotWithConnector, postActivity, startWithConnector } from '../helpers/http';
import { rosterRule } from '../helpers/roster';
import { VERBS } from '../../src/cards/verbs';
import type { Running } from '../../src/index';

/**
 * The fokusområde through the front door: the principal changes it from the
 * card, starts a målsamtal, and the invitation each teacher gets in 1:1 (sent
 * by the real outbox to a local Bot Connector) names it.
 */

const teachers = [person('Anna Lindqvist', 21), person('Erik Johansson', 22)];

function text(call: ConnectorCall | undefined): string {
  return JSON.stringify(call?.body);
}

describe('the fokusområde end to end through /api/messages', () => {
  let bot: BotWithConnector;
  let connector: FakeConnector;
  let running: Running;

  beforeAll(async () => {
    bot = await startWithConnector(testConfig(), { rules: [rosterRule(TEAM.id, [PRINCIPAL, ...teachers])] });
    ({ connector, running } = bot);
  });

  afterAll(() => bot?.stop());

  test("when the principal changes the fokusområde and starts a målsamtal then each teacher's invitation names it", async () => {
    const serviceUrl = connector.url;
    const post = (activity: unknown) => postActivity(running, activity);

    await post(channelMention({ serviceUrl, from: teachers[0]!, text: 'fokusområde' }));
    const card = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Fokusområde · Exempelskolan'));
    expect(text(card)).toContain(PRINCIPAL.id);

    const saved = await post(
      cardAction({
        serviceUrl,
        from: PRINCIPAL,
        verb: VERBS.focusAreaSave,
        where: 'channel',
        data: {
          schoolId: 'exempelskolan',
          version: 1,
          title: 'Läsning i alla ämnen',
          period: 'HT 2026',
          why: 'Eleverna läser för lite.',
          goals: 'las-och-skriv',
        },
      }),
    );
    expect(saved).toContain('Fokusområdet är sparat.');

    await post(startFormSubmit(serviceUrl, 'form-focus'));
    for (const teacher of teachers) {
      const invitation = await connector.waitFor(
        (c) => c.method === 'POST' && c.conversationId !== TEAM.id && text(c).includes(`Hej ${teacher.name.split(' ')[0]}!`),
        15_000,
      );
      expect(text(invitation)).toContain('Skolans fokusområde: **Läsning i alla ämnen** – Eleverna läser för lite.');
    }
  });
});
