import type { Activity } from 'botbuilder';
import { PEOPLE_DATASET } from '../../src/cards/groups';
import { VERBS } from '../../src/cards/verbs';
import type { Member } from '../../src/domain/goalDialogueService';
import { cardAction, channelMention, groupChatMention, peopleSearch, type Person, person, TEAM, TENANT_ID } from '../helpers/activities';
import { allActionsOf, cardOf, elementsOf, invokeBody, invokeCard, invokeText, submission } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';
import { CARD_BUDGET_BYTES } from '../cards/checks';
import { largeStaff } from '../helpers/learningGroups';

/**
 * Lärgrupper in a big staff team: the group form's pickers find people by
 * search (Teams' dynamic typeahead, answered by the application/search
 * invoke) instead of listing the whole team, and a check-in card of a group
 * beyond Teams' 60 refreshed users still works for everyone. Driven through
 * app.run on Azurite, as Teams posts to /api/messages.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
/** 2026-09-01 10:00 in Stockholm, a Tuesday early in the läsår. */
const now = new Date('2026-09-01T08:00:00Z');

/** A staff team of `size` as Teams posts its people, Lena (who asks for the form) first. */
function staffTeam(size: number): Person[] {
  return largeStaff(size).map((p) => ({ id: p.userId, aadObjectId: p.aadObjectId, name: p.name }));
}

const rosterOf = (people: Person[]): Member[] =>
  people.map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name, givenName: p.name.split(' ')[0] }));
const idsOf = (people: Person[]) => people.map((p) => p.aadObjectId).join(',');

const say = (bot: ConversationHarness, from: Person, text: string) => bot.send(channelMention({ serviceUrl, from, text }));
const press = (bot: ConversationHarness, from: Person, verb: string, data: Record<string, unknown>) =>
  bot.send(cardAction({ serviceUrl, from, verb, data, where: 'channel' }));

/** The search Teams sends while `from` types in a picker; the results as the invoke answered them. */
async function search(
  bot: ConversationHarness,
  from: Person,
  queryText: string,
  options: { top?: number; skip?: number; where?: 'personal' | 'channel' } = {},
) {
  const replies = await bot.send(peopleSearch({ serviceUrl, from, queryText, dataset: PEOPLE_DATASET, where: options.where ?? 'channel', ...options }));
  const response = replies.find((r) => r.type === 'invokeResponse')?.value as {
    status: number;
    body: { type: string; value: { results: { title: string; value: string }[] } };
  };
  return { status: response.status, type: response.body.type, results: response.body.value.results };
}

interface Picker {
  type: string;
  id: string;
  value?: string;
  style?: string;
  isMultiSelect?: boolean;
  choices: { title: string; value: string }[];
  'choices.data'?: { type: string; dataset: string };
}

/** The form's four pickers of people, by id. */
function pickersOf(card: Partial<Activity> | undefined): Record<string, Picker> {
  const pickers = elementsOf(
    cardOf(card),
    (e) => e.type === 'Input.ChoiceSet' && ['facilitator', 'members', 'studentHealth', 'treatment'].includes(String(e.id)),
  );
  return Object.fromEntries(pickers.map((p) => [String(p.id), p as unknown as Picker]));
}

const bytesOf = (card: Partial<Activity> | undefined) => Buffer.byteLength(JSON.stringify(cardOf(card)), 'utf8');

describe('the group form in a staff team of 1,000', () => {
  const team = staffTeam(1000);
  const lena = team[0]!;
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: rosterOf(team), clock: () => now });
  });

  test('when a teacher writes "@Målbild ny lärgrupp" then only she is chosen and listed, every picker searches the team, and the card is small', async () => {
    const [form] = await say(bot, lena, 'ny lärgrupp');
    const pickers = pickersOf(form);
    for (const id of ['facilitator', 'members', 'studentHealth', 'treatment']) {
      expect(pickers[id]).toMatchObject({ style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: PEOPLE_DATASET } });
    }
    expect(pickers.facilitator).toMatchObject({ value: lena.aadObjectId, choices: [{ title: 'Lena Lärare', value: lena.aadObjectId }] });
    expect(pickers.facilitator?.isMultiSelect).toBeUndefined();
    expect(pickers.members).toMatchObject({ value: lena.aadObjectId, isMultiSelect: true, choices: [{ title: 'Lena Lärare', value: lena.aadObjectId }] });
    // Nobody is chosen for a role yet: the group's people so far are offered, the rest are found by search.
    expect(pickers.studentHealth).toMatchObject({ value: '', isMultiSelect: true, choices: [{ title: 'Lena Lärare', value: lena.aadObjectId }] });
    expect(pickers.treatment).toMatchObject({ value: '', isMultiSelect: true, choices: [{ title: 'Lena Lärare', value: lena.aadObjectId }] });
    expect(bytesOf(form)).toBeLessThan(12 * 1024);
  });

  test('when someone types part of a name in another case and without its accents then at most 25 matching people come back, as title and value, within a second', async () => {
    // Teams sends one search per pause in typing: the first letters reach the bot before these.
    await search(bot, lena, 'O');
    const started = Date.now();
    const found = await search(bot, lena, 'OSTROM');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(found).toMatchObject({ status: 200, type: 'application/vnd.microsoft.search.searchResponse' });
    expect(found.results.length).toBeGreaterThan(0);
    expect(found.results.length).toBeLessThanOrEqual(25);
    expect(found.results.every((r) => r.title.includes('Öström'))).toBe(true);
    const asa = team.find((p) => p.name === 'Åsa Öström')!;
    expect(found.results).toContainEqual({ title: 'Åsa Öström', value: asa.aadObjectId });
    expect((await search(bot, lena, 'åsa öst')).results.map((r) => r.title)).toEqual(['Åsa Öström']);
  });

  test('when a search matches more people than Teams shows then it answers with the page asked for, and never more than 25', async () => {
    const all = await search(bot, lena, 'ss');
    expect(all.results).toHaveLength(25);
    const first = await search(bot, lena, 'ss', { top: 15 });
    const second = await search(bot, lena, 'ss', { top: 15, skip: 15 });
    expect(first.results).toHaveLength(15);
    expect(first.results).toEqual(all.results.slice(0, 15));
    expect(second.results.slice(0, 10)).toEqual(all.results.slice(15, 25));
    expect(await search(bot, lena, 'nobody by this name')).toMatchObject({ status: 200, results: [] });
  });

  test('when people found by search are chosen and the form is sent then the group is created with them and their roles', async () => {
    const [form] = await say(bot, lena, 'ny lärgrupp');
    const chosen = [(await search(bot, lena, 'Émile Berg')).results[0]!, (await search(bot, lena, 'fatima hassan')).results[0]!];
    expect(chosen.map((c) => c.title)).toEqual(['Émile Berg', 'Fatima Hassan']);
    const members = [lena.aadObjectId, ...chosen.map((c) => c.value)].join(',');
    await press(bot, lena, VERBS.groupSave, submission(form, VERBS.groupSave, { name: 'Matematik åk 4–6', members, studentHealth: chosen[1]!.value }));
    const group = bot.groupEffects.saved.at(-1)!;
    expect(group.members.map((m) => [m.name, m.role])).toEqual([
      ['Lena Lärare', 'lärare'],
      ['Émile Berg', 'lärare'],
      ['Fatima Hassan', 'elevhälsa'],
    ]);
  });

  test('when the form is sent with someone who is not in the team then the form says so, does not show that id, and nothing is stored', async () => {
    const [form] = await say(bot, lena, 'ny lärgrupp');
    const outsider = person('Olle Utanför', 5000);
    const replies = await press(bot, lena, VERBS.groupSave, submission(form, VERBS.groupSave, { name: 'Matematik', members: idsOf([lena, outsider]) }));
    expect(invokeText(replies)).toContain('Välj minst en medlem (högst 60) bland dem som är med här.');
    expect(JSON.stringify(invokeBody(replies))).not.toContain(outsider.aadObjectId);
    expect(pickersOf(invokeCard(replies)).members).toMatchObject({ value: lena.aadObjectId, choices: [{ title: 'Lena Lärare', value: lena.aadObjectId }] });
    expect(await bot.stores.learningGroups.groupsInConversation(TENANT_ID, TEAM.id)).toEqual([]);
    expect(bot.groupEffects.saved).toEqual([]);
  });

  test('when "fördela" is pressed with people found by search then the form comes back naming them', async () => {
    const [form] = await say(bot, lena, 'ny lärgrupp');
    const found = (await search(bot, lena, 'nyström')).results.slice(0, 3);
    const replies = await press(
      bot,
      lena,
      VERBS.groupSpread,
      submission(form, VERBS.groupSpread, { members: [lena.aadObjectId, ...found.map((f) => f.value)].join(',') }),
    );
    expect(pickersOf(invokeCard(replies)).members?.choices).toEqual([{ title: 'Lena Lärare', value: lena.aadObjectId }, ...found]);
  });

  test("when the facilitator edits a group then each picker lists the group's people in it and searches for the rest", async () => {
    const [form] = await say(bot, lena, 'ny lärgrupp');
    const members = team.slice(0, 40);
    await press(bot, lena, VERBS.groupSave, submission(form, VERBS.groupSave, { name: 'Svenska', members: idsOf(members), treatment: team[3]!.aadObjectId }));
    const group = bot.groupEffects.saved.at(-1)!;
    const edit = invokeCard(await press(bot, lena, VERBS.groupEdit, { groupId: group.id }));
    const pickers = pickersOf(edit);
    expect(pickers.members?.choices.map((c) => c.value)).toEqual(members.map((m) => m.aadObjectId));
    expect(pickers.treatment?.choices).toEqual([{ title: team[3]!.name, value: team[3]!.aadObjectId }]);
    expect(pickers.members?.['choices.data']).toEqual({ type: 'Data.Query', dataset: PEOPLE_DATASET });
    expect(bytesOf(edit)).toBeLessThan(CARD_BUDGET_BYTES);
  });

  test('when a search comes from a 1:1 chat then it finds nobody', async () => {
    expect(await search(bot, lena, 'anna', { where: 'personal' })).toMatchObject({ status: 200, results: [] });
  });
});

describe('the group form in a team of 80', () => {
  const team = staffTeam(80);
  const lena = team[0]!;

  test('when the form is sent with its defaults and a name then the group is created, led by its creator', async () => {
    const bot = await conversationHarness({ members: rosterOf(team), clock: () => now });
    const [form] = await say(bot, lena, 'ny lärgrupp');
    const replies = await press(bot, lena, VERBS.groupSave, submission(form, VERBS.groupSave, { name: 'Matematik' }));
    expect(invokeText(replies)).toContain('Samtalsledare: Lena Lärare');
    expect(bot.groupEffects.saved.at(-1)?.members.map((m) => m.name)).toEqual(['Lena Lärare']);
  });
});

describe('the group form in a small group chat', () => {
  const people = staffTeam(5);
  const lena = people[0]!;

  test('when a teacher asks for the form in a chat of five then everyone is listed and chosen, without a search (what Agents Playground can show)', async () => {
    const bot = await conversationHarness({ members: rosterOf(people), clock: () => now });
    const [form] = await bot.send(groupChatMention({ serviceUrl, from: lena, text: 'ny lärgrupp', chatId: '19:larare-4-6@thread.v2' }));
    const pickers = pickersOf(form);
    expect(pickers.members).toMatchObject({ value: idsOf(people), style: 'compact', choices: people.map((p) => ({ title: p.name, value: p.aadObjectId })) });
    expect(pickers.facilitator).toMatchObject({ value: lena.aadObjectId });
    for (const picker of Object.values(pickers)) expect(picker).not.toHaveProperty(['choices.data']);
  });
});

describe('a check-in of a group beyond the 60 people Teams refreshes a card for', () => {
  const team = staffTeam(100);
  const lena = team[0]!;
  /** Sixty members chosen, Lena (who leads) not among them: the group has 61. */
  const chosen = team.slice(1, 61);
  const last = chosen.at(-1)!;

  test('when the check-in is posted then the samtalsledare and 59 members refresh, and the one beyond fetches her own view with "Uppdatera"', async () => {
    let clock = now;
    const bot = await conversationHarness({ members: rosterOf(team), clock: () => clock });
    const [form] = await say(bot, lena, 'ny lärgrupp');
    const dates = ['2026-09-02', '2026-10-13'];
    const filled = submission(form, VERBS.groupSave, { name: 'Hela skolan', members: idsOf(chosen), meetingCount: '2' });
    const withDates = { ...Object.fromEntries(Object.entries(filled).filter(([key]) => !/^date\d+$/.test(key))), date0: dates[0], date1: dates[1] };
    await press(bot, lena, VERBS.groupSave, withDates);
    expect(bot.groupEffects.saved.at(-1)?.members).toHaveLength(61);

    clock = new Date('2026-09-01T14:00:00Z');
    const [card] = await say(bot, lena, 'incheckning');
    const refresh = cardOf(card)?.refresh as { userIds: string[]; action: { verb: string; data: { checkInId: string } } };
    expect(refresh.userIds).toHaveLength(60);
    expect(refresh.userIds[0]).toBe(lena.id);
    expect(refresh.userIds).not.toContain(last.id);
    const checkInId = refresh.action.data.checkInId;
    const buttons = allActionsOf(card).filter((a) => a !== (refresh.action as unknown));
    expect(buttons.map((a) => [a.title, a.verb])).toEqual(
      expect.arrayContaining([
        ['Svara', VERBS.checkInView],
        ['Uppdatera', VERBS.checkInView],
      ]),
    );
    expect(bytesOf(card)).toBeLessThan(CARD_BUDGET_BYTES);

    const own = await press(bot, last, VERBS.checkInView, { checkInId });
    expect(invokeText(own)).not.toContain('Du är inte med i den här gruppen');
    expect(allActionsOf(invokeCard(own)).map((a) => a.verb)).toContain(VERBS.checkInAnswer);
  });
});
