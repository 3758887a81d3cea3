import { checkInSummaryCard } from '../../src/cards/groupCheckInViews';
import { VERBS } from '../../src/cards/verbs';
import type { Member } from '../../src/domain/goalDialogueService';
import { stringsFor } from '../../src/i18n';
import { cardAction, channelMention, type Person, person, TENANT_ID } from '../helpers/activities';
import { cardOf, cardText, submission } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * What a group sees of answers without names: the order of the answers
 * must tell nothing about who wrote them (issue: an anonymous group's log
 * and summary listed the answers by their authors' names, and the member
 * list is in the same chat).
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const now = new Date('2026-09-01T08:00:00Z');

/** Six members, listed in an order that is not alphabetical; the first leads the group. */
const members = ['Olof Ek', 'Anna Berg', 'Karin Alm', 'Bo Dahl', 'Eva Frost', 'Gustav Holm'].map((name, i) => person(name, i + 40));
const [facilitator] = members as [Person, ...Person[]];
const roster: Member[] = members.map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name }));
const alphabetical = [...members].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
const MEETINGS = ['m1', 'm2', 'm3'];

/** Each plan says, only to the test, who wrote it and for which meeting. */
const planOf = (meeting: string, author: Person) => `plan ${meeting} ${author.aadObjectId.slice(-2)}`;
const lookForOf = (meeting: string, author: Person) => `titta ${meeting} ${author.aadObjectId.slice(-2)}`;
const authorOf = (entry: string) => members.find((m) => entry.endsWith(` ${m.aadObjectId.slice(-2)}`))!;

const say = (bot: ConversationHarness, from: Person, text: string) => bot.send(channelMention({ serviceUrl, from, text }));
const press = (bot: ConversationHarness, from: Person, verb: string, data: Record<string, unknown>) =>
  bot.send(cardAction({ serviceUrl, from, verb, data, where: 'channel' }));

/** The entries shown for one meeting, in the order the card shows them, as their authors. */
function authorsIn(text: string, prefix: string, meeting: string): Person[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^• /, ''))
    .filter((line) => line.startsWith(`${prefix} ${meeting} `))
    .map(authorOf);
}

describe.each(['anonymous', 'totals'] as const)('answers without names in a group whose privacy is %s', (privacy) => {
  let bot: ConversationHarness;
  /** The after check-in of each meeting. */
  const afterCheckIns: string[] = [];

  let clock = now;

  beforeAll(async () => {
    bot = await conversationHarness({ members: roster, clock: () => clock });
    const [form] = await say(bot, facilitator, 'ny lärgrupp');
    const filled = submission(form, VERBS.groupSave, {
      name: 'Svenska åk 7–9',
      members: members.map((m) => m.aadObjectId).join(','),
      privacy,
      meetingCount: '3',
    });
    const dates = ['2026-09-15', '2026-10-13', '2026-11-10'];
    const withDates = {
      ...Object.fromEntries(Object.entries(filled).filter(([key]) => !/^date\d+$/.test(key))),
      date0: dates[0],
      date1: dates[1],
      date2: dates[2],
    };
    await press(bot, facilitator, VERBS.groupSave, withDates);
    const group = bot.groupEffects.saved.at(-1)!;
    for (const meeting of MEETINGS) {
      await say(bot, facilitator, 'incheckning');
      // The after check-in can be posted once its meeting has started.
      clock = bot.deps.groups.meetingTimes(
        group,
        group.meetings.find((m) => m.id === meeting)!,
      ).start;
      const [card] = await say(bot, facilitator, 'incheckning');
      const checkInId = ((cardOf(card)?.refresh ?? {}) as { action?: { data?: { checkInId?: string } } }).action?.data?.checkInId ?? '';
      expect(checkInId).toContain(`~${meeting}~after`);
      afterCheckIns.push(checkInId);
      // They answer in alphabetical order, so neither the order of answering tells anything.
      for (const member of alphabetical) {
        await press(bot, member, VERBS.checkInAnswer, {
          checkInId,
          plan: planOf(meeting, member),
          lookFor: lookForOf(meeting, member),
          useful: '4',
          support: '',
        });
      }
    }
    expect(await bot.stores.learningGroups.answers(TENANT_ID, afterCheckIns[0]!)).toHaveLength(members.length);
  });

  const log = async () => cardText((await say(bot, members[2]!, 'lärgrupp logg'))[0]);

  test('when the learning log lists what they will try then the order is neither by name nor by member list, and the same every time', async () => {
    const first = await log();
    const orders = MEETINGS.map((meeting) => authorsIn(first, 'plan', meeting));
    for (const order of orders) expect([...order].sort((a, b) => a.name.localeCompare(b.name, 'sv'))).toEqual(alphabetical);
    expect(first).not.toMatch(/Olof Ek:|Anna Berg:/);
    // Sorted by name, every meeting would list them alphabetically; by member list, in the group's order.
    expect(orders.filter((order) => order.every((m, i) => m === alphabetical[i]))).not.toHaveLength(MEETINGS.length);
    expect(orders.filter((order) => order.every((m, i) => m === members[i]))).not.toHaveLength(MEETINGS.length);
    // Drawn again (a refresh, another reader), the card is the same.
    expect(await log()).toBe(first);
  });

  test("when the facilitator's summary lists the answers then, without names, their order tells nothing and does not link one person's answers", async () => {
    const strings = stringsFor('sv');
    const texts = await Promise.all(
      afterCheckIns.map(async (id) =>
        cardText({
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: checkInSummaryCard(strings, 'sv', await bot.deps.groups.view(TENANT_ID, id), []),
            },
          ],
        }),
      ),
    );
    if (privacy === 'totals') {
      // With totals only, the samtalsledare sees who wrote what (the privacy choice says so).
      expect(texts[0]).toContain(`${alphabetical[0]!.name}: ${planOf('m1', alphabetical[0]!)}`);
      return;
    }
    const plans = MEETINGS.map((meeting, i) => authorsIn(texts[i]!, 'plan', meeting));
    const lookFors = MEETINGS.map((meeting, i) => authorsIn(texts[i]!, 'titta', meeting));
    for (const order of [...plans, ...lookFors]) expect(order).toHaveLength(members.length);
    expect(texts.join('\n')).not.toMatch(/Olof Ek|Anna Berg|Karin Alm/);
    expect(plans.filter((order) => order.every((m, i) => m === alphabetical[i]))).not.toHaveLength(MEETINGS.length);
    // Each question has an order of its own: the first plan and the first "titta efter" are not, meeting after meeting, by the same person.
    expect(MEETINGS.filter((_, i) => plans[i]!.every((m, j) => m === lookFors[i]![j]))).not.toHaveLength(MEETINGS.length);
  });
});

describe('the privacy choices say who sees names', () => {
  test.each([
    ['ny lärgrupp', 'sv-SE', /Bara summor: .*samtalsledaren ser vem som svarat vad/, /Anonymt: .*inte ens samtalsledaren/],
    ['new learning group', 'en-US', /Totals only: .*the facilitator sees who answered what/, /Anonymous: .*not even the facilitator/],
  ])(
    'when "%s" shows the form (%s) then "totals only" says the facilitator sees names and "anonymous" that no one does',
    async (text, locale, totals, anonymous) => {
      const bot = await conversationHarness({ members: roster, clock: () => now });
      const [form] = await bot.send(channelMention({ serviceUrl, from: facilitator, text, locale }));
      expect(cardText(form)).toMatch(totals);
      expect(cardText(form)).toMatch(anonymous);
    },
  );
});
