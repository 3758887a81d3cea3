import type { Activity } from 'botbuilder';
import { VERBS } from '../../src/cards/verbs';
import type { Member } from '../../src/domain/goalDialogueService';
import type { Group } from '../../src/domain/learningGroup';
import {
  cardAction,
  channelMention,
  type Person,
  person,
  personalMessage,
  PRINCIPAL,
  TEAM,
  TENANT_ID,
  groupChatMention as mentionInGroupChat,
} from '../helpers/activities';
import { actionsOf, allActionsOf, cardOf, cardText, elementsOf, inputsOf, invokeCard, invokeText, labelsOf, messagesIn, submission } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * Lärgrupper in the conversation where the group lives: the commands and
 * card actions of src/bot/learningGroup*.ts driven through app.run on Azurite.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
/** 2026-09-01 10:00 in Stockholm, a Tuesday early in the läsår. */
const now = new Date('2026-09-01T08:00:00Z');
/** The first meeting of a group created at `now` with its default dates: 15 September 2026 at 15:30 in Stockholm. */
const FIRST_MEETING_START = new Date('2026-09-15T13:30:00Z');

/** Exempelskolan's läsår (src/organisation/exempelskolan.yaml). */
const SCHOOL_YEAR = {
  end: '2027-06-11',
  holidays: [
    ['2026-10-26', '2026-10-30'],
    ['2026-12-23', '2027-01-06'],
    ['2027-02-22', '2027-02-26'],
    ['2027-03-26', '2027-04-05'],
    ['2027-05-13', '2027-05-13'],
    ['2027-05-14', '2027-05-14'],
  ],
};

const maria = person('Maria Ekström', 1);
const anna = person('Anna Lindqvist', 2);
const erik = person('Erik Johansson', 3);
const fatima = person('Fatima Hassan', 4);
/** The group's members; Maria asks for the form and leads the group. */
const teachers = [maria, anna, erik, fatima];
/** Everyone in the staff channel: the teachers and the principal, who is not in the group. */
const roster: Member[] = [PRINCIPAL, ...teachers].map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name, givenName: p.name.split(' ')[0] }));
const idsOf = (people: Person[]) => people.map((p) => p.aadObjectId).join(',');

const GROUP_NAME = 'Matematik åk 4–6';

const beforeAnswer = (tried: string) => ({ tried, happened: 'Fler elever förklarade hur de tänkte', evidence: '', ask: '' });
const afterAnswer = (plan: string, useful = '4') => ({ plan, lookFor: 'Om eleverna använder begreppen', useful, support: '' });

/** The meeting dates of a group form, in field order. */
function datesOf(inputs: Record<string, string>): string[] {
  return Object.keys(inputs)
    .filter((key) => /^date\d+$/.test(key))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    .map((key) => inputs[key]!);
}

/** The form with its date fields replaced by these dates. */
function withDates(form: Record<string, unknown>, dates: string[]): Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(form).filter(([key]) => !/^date\d+$/.test(key)));
  return { ...rest, ...Object.fromEntries(dates.map((date, index) => [`date${index}`, date])) };
}

function isSchoolDay(date: string): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !SCHOOL_YEAR.holidays.some(([from, to]) => date >= from! && date <= to!);
}

/** A clock the test moves, starting at `now`. */
function movableClock() {
  let at = now;
  return { now: () => at, set: (iso: string) => (at = new Date(iso)) };
}

// --- The staff channel ---

const say = (bot: ConversationHarness, from: Person, text: string, locale?: string) => bot.send(channelMention({ serviceUrl, from, text, locale }));

const press = (bot: ConversationHarness, from: Person, verb: string, data: Record<string, unknown>, locale?: string) =>
  bot.send(cardAction({ serviceUrl, from, verb, data, where: 'channel', locale }));

/** `ny lärgrupp` (or `new learning group`) from Maria in the channel: the form card. */
async function newGroupForm(bot: ConversationHarness, locale?: string): Promise<Partial<Activity> | undefined> {
  return (await say(bot, maria, locale?.startsWith('en') ? 'new learning group' : 'ny lärgrupp', locale))[0];
}

/** Maria asks for the form, names the group, picks the four teachers and creates it (on the proposed dates unless told others). */
async function createGroup(
  bot: ConversationHarness,
  changes: Record<string, string> = {},
  options: { dates?: string[]; locale?: string } = {},
): Promise<Group> {
  const { dates, locale } = options;
  const filled = submission(await newGroupForm(bot, locale), VERBS.groupSave, { name: GROUP_NAME, members: idsOf(teachers), ...changes });
  await press(bot, maria, VERBS.groupSave, dates ? withDates(filled, dates) : filled, locale);
  const group = bot.groupEffects.saved.at(-1);
  if (!group) throw new Error('the group was not created');
  return group;
}

/** `incheckning` in the channel; the posted card and its check-in id. */
async function postCheckIn(bot: ConversationHarness, locale?: string): Promise<{ card: Partial<Activity>; checkInId: string }> {
  const [card] = await say(bot, maria, locale?.startsWith('en') ? 'check in' : 'incheckning', locale);
  const refresh = (cardOf(card)?.refresh ?? {}) as { action?: { data?: { checkInId?: string } } };
  return { card: card!, checkInId: refresh.action?.data?.checkInId ?? '' };
}

const answer = (bot: ConversationHarness, from: Person, checkInId: string, values: Record<string, unknown>) =>
  press(bot, from, VERBS.checkInAnswer, { checkInId, ...values });

// --- A group chat (the same bot, another kind of conversation) ---

const GROUP_CHAT = '19:larare-4-6@thread.v2';

function groupChatMention(from: Person, text: string) {
  return mentionInGroupChat({ serviceUrl, from, text, chatId: GROUP_CHAT });
}

function groupChatAction(from: Person, verb: string, data: Record<string, unknown>) {
  return cardAction({ serviceUrl, from, verb, data, where: 'groupChat', chatId: GROUP_CHAT });
}

// --- The tests ---

describe('creating a learning group', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  test('when a teacher writes "@Målbild ny lärgrupp" in a channel then the form lists the channel\'s people, makes her the facilitator and its only member so far, and proposes six dates on school days over the rest of the läsår', async () => {
    const reply = await newGroupForm(bot);
    const text = cardText(reply);
    expect(text).toContain('Ny lärgrupp');
    for (const p of roster) expect(text).toContain(p.name);
    const form = inputsOf(reply);
    expect(form.facilitator).toBe(maria.aadObjectId);
    // The channel is the whole staff: nobody else is chosen for her.
    expect(form.members).toBe(maria.aadObjectId);
    expect(form).toMatchObject({ name: '', kind: 'lärgrupp', meetingCount: '6', startTime: '15:30', endTime: '17:00', privacy: 'totals' });
    const dates = datesOf(form);
    expect(dates).toHaveLength(6);
    expect(new Set(dates).size).toBe(6);
    expect([...dates].sort()).toEqual(dates);
    expect(dates.filter((date) => !isSchoolDay(date))).toEqual([]);
    expect(dates[0]! > '2026-09-01').toBe(true);
    expect(dates[5]! <= SCHOOL_YEAR.end).toBe(true);
    // Spread over the läsår, not bunched at its start.
    expect(dates[0]! < '2026-11-01').toBe(true);
    expect(dates[5]! > '2027-04-01').toBe(true);
    expect(labelsOf(reply)).toEqual(expect.arrayContaining(['Träff 1', 'Träff 6']));
    expect(actionsOf(reply)).toEqual([{ title: 'Skapa gruppen', verb: VERBS.groupSave, data: { groupId: '' } }]);
  });

  test('when a teacher writes "@Målbild new learning group" in English then the form is in English', async () => {
    const reply = await newGroupForm(bot, 'en-US');
    const text = cardText(reply);
    expect(text).toContain('New learning group');
    expect(text).toContain('Totals only: the group sees counts, ratings and plans without names, but the facilitator sees who answered what');
    expect(text).not.toContain('Ny lärgrupp');
    expect(labelsOf(reply)).toEqual(expect.arrayContaining(['Facilitator', 'Members', 'Meeting 1', 'Meeting 6']));
    expect(actionsOf(reply)[0]?.title).toBe('Create the group');
  });

  test("when the filled-in form is sent then the group is stored, the form becomes the group's card and the channel is told", async () => {
    const form = await newGroupForm(bot);
    const replies = await press(
      bot,
      maria,
      VERBS.groupSave,
      submission(form, VERBS.groupSave, { name: GROUP_NAME, subject: 'Matematik', grades: '4–6', members: idsOf(teachers), studentHealth: fatima.aadObjectId }),
    );

    const stored = await bot.stores.learningGroups.groupsInConversation(TENANT_ID, TEAM.id);
    expect(stored.map((g) => g.name)).toEqual([GROUP_NAME]);
    expect(bot.groupEffects.saved).toHaveLength(1);
    const group = bot.groupEffects.saved[0]!;
    expect(group).toMatchObject({ id: stored[0]!.groupId, name: GROUP_NAME, kind: 'lärgrupp', privacy: 'totals', createdBy: maria.aadObjectId });
    // The group, its check-ins and their answers belong to the läsår it was created in.
    expect(group.schoolYearId).toBe('2026-27');
    expect(group.facilitator.aadObjectId).toBe(maria.aadObjectId);
    expect(group.members.map((m) => [m.name, m.role])).toEqual([
      ['Maria Ekström', 'lärare'],
      ['Anna Lindqvist', 'lärare'],
      ['Erik Johansson', 'lärare'],
      ['Fatima Hassan', 'elevhälsa'],
    ]);
    expect(group.meetings.map((m) => m.date)).toEqual(datesOf(inputsOf(form)));
    expect(group.conversation).toMatchObject({ conversationId: TEAM.id, kind: 'channel', language: 'sv' });

    const card = invokeText(replies);
    expect(card).toContain(GROUP_NAME);
    expect(card).toContain('Lärgrupp · Matematik · 4–6');
    expect(card).toContain('Samtalsledare: Maria Ekström');
    expect(card).toContain('Medlemmar (4)');
    expect(card).toContain('Fatima Hassan (elevhälsa)');
    expect(card).not.toContain('Rut Rektorsson');
    expect(messagesIn(replies)).toEqual([`${GROUP_NAME} är skapad med 6 träffar. Incheckningarna läggs ut här före och efter varje träff.`]);
    // The form in the channel is replaced by the group's card for everyone: without the editing buttons, which
    // the samtalsledare gets in her own view (the answer to her press, and the card's refresh).
    expect(bot.updates.map((u) => u.id)).toEqual(['card-activity-1']);
    expect(cardText(bot.updates[0])).toContain('Medlemmar (4)');
    expect(allActionsOf(bot.updates[0]).map((a) => a.verb)).not.toContain(VERBS.groupEdit);
    expect(cardOf(bot.updates[0])?.refresh).toMatchObject({ action: { verb: VERBS.groupShow, data: { groupId: group.id } }, userIds: [maria.id] });
    expect(allActionsOf(invokeCard(replies)).map((a) => a.verb)).toEqual(expect.arrayContaining([VERBS.groupEdit, VERBS.groupQuestions]));
  });

  test('when the form has no name, ends before it starts and has no dates then every problem comes back in the form and nothing is stored', async () => {
    const form = await newGroupForm(bot);
    const replies = await press(
      bot,
      maria,
      VERBS.groupSave,
      withDates(submission(form, VERBS.groupSave, { name: '  ', startTime: '17:00', endTime: '15:30' }), []),
    );
    const text = invokeText(replies);
    expect(text).toContain('Något behöver rättas:');
    expect(text).toContain('• Ge gruppen ett namn (högst 100 tecken).');
    expect(text).toContain('• Sluttiden ska vara efter starttiden (TT:MM).');
    expect(text).toContain('• Gruppen behöver minst en träff (högst 20).');
    expect(inputsOf(invokeCard(replies))).toMatchObject({ startTime: '17:00', endTime: '15:30', facilitator: maria.aadObjectId });
    expect(await bot.stores.learningGroups.groupsInConversation(TENANT_ID, TEAM.id)).toEqual([]);
    expect(bot.groupEffects.saved).toEqual([]);
    expect(messagesIn(replies)).toEqual([]);
    expect(bot.updates).toEqual([]);
  });

  test('when a date is in the past or a member is not in the channel then the form says so and nothing is stored', async () => {
    const form = await newGroupForm(bot);
    const outsider = person('Olle Utanför', 99);
    const filled = submission(form, VERBS.groupSave, { name: GROUP_NAME, members: idsOf([...teachers, outsider]) });
    const replies = await press(bot, maria, VERBS.groupSave, withDates(filled, ['2026-08-20', ...datesOf(inputsOf(form)).slice(1)]));
    const text = invokeText(replies);
    expect(text).toContain('Varje träff behöver ett eget datum, i dag eller senare.');
    expect(text).toContain('Välj minst en medlem (högst 60) bland dem som är med här.');
    expect(await bot.stores.learningGroups.groupsInConversation(TENANT_ID, TEAM.id)).toEqual([]);
  });

  test('when "fördela" is pressed with 5 meetings then the form comes back with five school days and what was typed kept', async () => {
    const form = await newGroupForm(bot);
    const replies = await press(bot, maria, VERBS.groupSpread, submission(form, VERBS.groupSpread, { name: GROUP_NAME, meetingCount: '5' }));
    const spread = inputsOf(invokeCard(replies));
    expect(spread).toMatchObject({ name: GROUP_NAME, meetingCount: '5' });
    const dates = datesOf(spread);
    expect(dates).toHaveLength(5);
    expect(dates.filter((date) => !isSchoolDay(date))).toEqual([]);
    expect(dates[0]! > '2026-09-01').toBe(true);
    expect(await bot.stores.learningGroups.groupsInConversation(TENANT_ID, TEAM.id)).toEqual([]);
  });

  test('when the English form is sent then the group, its questions and the reply are in English', async () => {
    const form = await newGroupForm(bot, 'en-US');
    const replies = await press(bot, maria, VERBS.groupSave, submission(form, VERBS.groupSave, { name: 'Maths years 4–6', members: idsOf(teachers) }), 'en-US');
    expect(messagesIn(replies)).toEqual(['Maths years 4–6 is created with 6 meetings. Check-ins are posted here before and after each meeting.']);
    expect(invokeText(replies)).toContain('Facilitator: Maria Ekström');
    expect(invokeText(replies)).toContain('Members (4)');
    const group = bot.groupEffects.saved[0]!;
    expect(group.conversation.language).toBe('en');
    expect(group.questions.before[0]?.label).toBe('What have you tried in the classroom since last time?');
  });

  test('when a teacher writes "ny lärgrupp" in her 1:1 chat then she is told groups live in a channel or group chat, and nothing is created', async () => {
    const replies = await bot.send(personalMessage({ serviceUrl, from: maria, text: 'ny lärgrupp' }));
    expect(replies.map((r) => r.text)).toEqual(['Lärgrupper skapas i en kanal, en gruppchatt eller ett mötes chatt där gruppen finns.']);
    expect(bot.groupEffects.saved).toEqual([]);
    expect(cardOf(replies[0])).toBeUndefined();
  });

  test('when a group form is sent from a 1:1 chat then she is told groups live in a channel or group chat and nothing is created', async () => {
    const form = await newGroupForm(bot);
    const replies = await bot.send(
      cardAction({
        serviceUrl,
        from: maria,
        verb: VERBS.groupSave,
        data: submission(form, VERBS.groupSave, { name: GROUP_NAME, members: idsOf(teachers) }),
        where: 'personal',
      }),
    );
    expect(invokeText(replies)).toBe('Lärgrupper skapas i en kanal, en gruppchatt eller ett mötes chatt där gruppen finns.');
    expect(bot.groupEffects.saved).toEqual([]);
  });
});

describe('editing a learning group', () => {
  let bot: ConversationHarness;
  let group: Group;
  const editForm = async () => invokeCard(await press(bot, maria, VERBS.groupEdit, { groupId: group.id }));
  const stored = async () => (await bot.stores.learningGroups.getGroup(TENANT_ID, group.id))?.value;

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
    group = await createGroup(bot);
  });

  test('when the facilitator presses "ändra gruppen" then the form comes back filled in with the group as it is', async () => {
    const form = await editForm();
    expect(cardText(form)).toContain(`Ändra ${GROUP_NAME}`);
    expect(inputsOf(form)).toMatchObject({ name: GROUP_NAME, facilitator: maria.aadObjectId, members: idsOf(teachers), meetingCount: '6', privacy: 'totals' });
    expect(datesOf(inputsOf(form))).toEqual(group.meetings.map((m) => m.date));
    expect(actionsOf(form)).toEqual([{ title: 'Spara', verb: VERBS.groupSave, data: { groupId: group.id } }]);
  });

  test('when another member presses "ändra gruppen" then she is told only the facilitator can, and nothing changes', async () => {
    const replies = await press(bot, anna, VERBS.groupEdit, { groupId: group.id });
    expect(invokeText(replies)).toBe('Bara gruppens samtalsledare kan ändra gruppen. Ingenting har ändrats.');
    expect(await stored()).toEqual(group);
  });

  test('when another member sends the edit form then it is refused on the server and nothing changes', async () => {
    const replies = await press(
      bot,
      anna,
      VERBS.groupSave,
      submission(await editForm(), VERBS.groupSave, { name: 'Annas grupp', facilitator: anna.aadObjectId }),
    );
    expect(invokeText(replies)).toBe('Bara gruppens samtalsledare kan ändra gruppen. Ingenting har ändrats.');
    expect(await stored()).toEqual(group);
    expect(bot.groupEffects.saved).toHaveLength(1);
  });

  test('when the facilitator moves a meeting and renames the group then it is saved and every meeting keeps its id', async () => {
    const form = await editForm();
    const moved = datesOf(inputsOf(form)).map((date, index) => (index === 2 ? '2026-12-01' : date));
    expect(moved[1]! < '2026-12-01' && '2026-12-01' < moved[3]!).toBe(true);
    const replies = await press(bot, maria, VERBS.groupSave, withDates(submission(form, VERBS.groupSave, { name: 'Matematik åk 4–6, HT och VT' }), moved));
    expect(messagesIn(replies)).toEqual(['Matematik åk 4–6, HT och VT är sparad.']);
    expect(invokeText(replies)).toContain('Matematik åk 4–6, HT och VT');
    const saved = (await stored())!;
    expect(saved.name).toBe('Matematik åk 4–6, HT och VT');
    expect(saved.meetings.map((m) => [m.id, m.date])).toEqual(group.meetings.map((m, index) => [m.id, moved[index]]));
    expect(bot.groupEffects.saved.map((g) => g.id)).toEqual([group.id, group.id]);
    expect(await bot.stores.learningGroups.groupsInConversation(TENANT_ID, TEAM.id)).toHaveLength(1);
  });

  test('when the facilitator moves a meeting whose check-in is posted then the check-in stays with that meeting', async () => {
    const { checkInId } = await postCheckIn(bot);
    const form = await editForm();
    const moved = datesOf(inputsOf(form)).map((date, index) => (index === 0 ? '2026-09-08' : date));
    await press(bot, maria, VERBS.groupSave, withDates(submission(form, VERBS.groupSave), moved));
    expect((await stored())?.meetings.find((m) => m.id === 'm1')?.date).toBe('2026-09-08');
    expect(invokeText(await press(bot, anna, VERBS.checkInView, { checkInId }))).toContain(`${GROUP_NAME}: före träffen 8 september 2026`);
  });

  test('when the edited form has an end time before the start time then the form comes back with the problem and the group is unchanged', async () => {
    const replies = await press(bot, maria, VERBS.groupSave, submission(await editForm(), VERBS.groupSave, { startTime: '16:00', endTime: '15:00' }));
    expect(invokeText(replies)).toContain(`Ändra ${GROUP_NAME}`);
    expect(invokeText(replies)).toContain('Sluttiden ska vara efter starttiden (TT:MM).');
    expect(await stored()).toEqual(group);
  });

  test('when the facilitator presses "fördela" on the edit form then the dates are spread again, nothing is saved until she saves', async () => {
    const replies = await press(bot, maria, VERBS.groupSpread, submission(await editForm(), VERBS.groupSpread, { meetingCount: '4' }));
    expect(invokeText(replies)).toContain(`Ändra ${GROUP_NAME}`);
    expect(datesOf(inputsOf(invokeCard(replies)))).toHaveLength(4);
    expect(actionsOf(invokeCard(replies))[0]?.data).toEqual({ groupId: group.id });
    expect((await stored())?.meetings).toHaveLength(6);
  });
});

describe('showing the groups of a conversation', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  test('when there is no group and someone writes "@Målbild lärgrupp" then she is told how to create one', async () => {
    const replies = await say(bot, anna, 'lärgrupp');
    expect(replies.map((r) => r.text)).toEqual(['Här finns ingen lärgrupp ännu. Skriv **@Målbild ny lärgrupp** för att skapa en.']);
  });

  test('when the channel has one group and someone writes "@Målbild lärgrupp" then the group\'s card answers', async () => {
    const group = await createGroup(bot, {}, { dates: ['2026-09-15', '2026-10-13'] });
    const [reply] = await say(bot, anna, 'lärgrupp');
    const text = cardText(reply);
    expect(text).toContain(GROUP_NAME);
    expect(text).toContain('Samtalsledare: Maria Ekström');
    expect(text).toContain('Nästa träff: 15 september 2026 15:30–17:00');
    expect(text).toContain('Medlemmar (4)');
    expect(text).toContain('Nästa incheckning: före träffen 15 september 2026.');
    // The card in the channel is everyone's: no editing buttons; it refreshes for the samtalsledare alone.
    expect(cardOf(reply)?.refresh).toEqual({
      action: { type: 'Action.Execute', title: GROUP_NAME, verb: VERBS.groupShow, data: { groupId: group.id } },
      userIds: [maria.id],
    });
    expect(actionsOf(reply).map((a) => [a.title, a.verb, a.data.groupId])).toEqual([['Logg', VERBS.groupLog, group.id]]);
    expect(allActionsOf(reply).map((a) => a.verb)).toEqual([VERBS.groupShow, VERBS.groupCheckInNow, VERBS.groupLog]);
  });

  test('when the group\'s card refreshes then the samtalsledare gets "Ändra gruppen" and "Ändra frågorna", and any other member does not', async () => {
    const group = await createGroup(bot, {}, { dates: ['2026-09-15', '2026-10-13'] });
    const refresh = (from: Person) =>
      bot.send({
        ...cardAction({ serviceUrl, from, verb: VERBS.groupShow, data: { groupId: group.id }, where: 'channel' }),
        value: { action: { type: 'Action.Execute', verb: VERBS.groupShow, data: { groupId: group.id } }, trigger: 'automatic' },
      });
    const facilitators = invokeCard(await refresh(maria));
    expect(actionsOf(facilitators).map((a) => [a.title, a.verb, a.data.groupId])).toEqual([
      ['Logg', VERBS.groupLog, group.id],
      ['Ändra gruppen', VERBS.groupEdit, group.id],
      ['Ändra frågorna', VERBS.groupQuestions, group.id],
    ]);
    const members = invokeCard(await refresh(anna));
    expect(actionsOf(members).map((a) => a.title)).toEqual(['Logg']);
    // A button pressed anyway (an old card, a crafted one) is still refused on the server.
    expect(invokeText(await press(bot, anna, VERBS.groupEdit, { groupId: group.id }))).toBe(
      'Bara gruppens samtalsledare kan ändra gruppen. Ingenting har ändrats.',
    );
  });

  test('when the channel has two groups then "@Målbild lärgrupp" asks which one, and pressing one shows that group\'s card', async () => {
    const first = await createGroup(bot);
    const second = await createGroup(bot, { name: 'Svenska åk 1–3', members: idsOf([maria, erik]) });
    const [choice] = await say(bot, anna, 'lärgrupp');
    expect(cardText(choice)).toContain('Vilken grupp?');
    expect(
      allActionsOf(choice)
        .map((a) => [a.title, a.verb, a.data.groupId])
        .sort(),
    ).toEqual(
      [
        [GROUP_NAME, VERBS.groupShow, first.id],
        ['Svenska åk 1–3', VERBS.groupShow, second.id],
      ].sort(),
    );
    const button = allActionsOf(choice).find((a) => a.title === 'Svenska åk 1–3')!;
    const shown = await press(bot, anna, button.verb, button.data);
    expect(invokeText(shown)).toContain('Svenska åk 1–3');
    expect(invokeText(shown)).toContain('Medlemmar (2)');
    expect(invokeText(shown)).not.toContain(GROUP_NAME);
  });

  test('when the channel has two groups then "@Målbild incheckning" asks which group, and pressing one posts that group\'s check-in', async () => {
    await createGroup(bot);
    const second = await createGroup(bot, { name: 'Svenska åk 1–3' });
    const [choice] = await say(bot, maria, 'incheckning');
    expect(cardText(choice)).toContain('Vilken grupp?');
    expect(allActionsOf(choice).map((a) => a.verb)).toEqual([VERBS.groupCheckInNow, VERBS.groupCheckInNow]);
    expect(bot.groupEffects.posted).toEqual([]);
    const button = allActionsOf(choice).find((a) => a.title === 'Svenska åk 1–3')!;
    const replies = await press(bot, maria, button.verb, button.data);
    expect(invokeText(replies)).toBe('Incheckningen är utlagd.');
    expect(bot.groupEffects.posted.map((c) => c.groupId)).toEqual([second.id]);
  });

  test('when someone writes "@Målbild learning group" in English then the card is in English', async () => {
    const group = await createGroup(bot);
    const text = cardText((await say(bot, anna, 'learning group', 'en-US'))[0]);
    expect(text).toContain('Facilitator: Maria Ekström');
    expect(text).toContain('Members (4)');
    // The facilitator's own view (pressed or refreshed) has the editing buttons, in English too.
    const own = invokeText(await press(bot, maria, VERBS.groupShow, { groupId: group.id }, 'en-US'));
    expect(own).toContain('Edit the group');
    expect(own).toContain('Edit the questions');
  });

  test('when a group lives in a group chat then it is created and shown there, and not in the staff channel', async () => {
    const [form] = await bot.send(groupChatMention(maria, 'ny lärgrupp'));
    expect(inputsOf(form).facilitator).toBe(maria.aadObjectId);
    await bot.send(groupChatAction(maria, VERBS.groupSave, submission(form, VERBS.groupSave, { name: 'Arbetslag 4–6', members: idsOf(teachers) })));
    const [group] = bot.groupEffects.saved;
    expect(group?.conversation).toMatchObject({ conversationId: GROUP_CHAT, kind: 'groupChat' });
    expect(cardText((await bot.send(groupChatMention(anna, 'lärgrupp')))[0])).toContain('Arbetslag 4–6');
    expect((await say(bot, anna, 'lärgrupp'))[0]?.text).toContain('Här finns ingen lärgrupp ännu');
    // A card sent from the channel naming the group chat's group finds nothing.
    expect(invokeText(await press(bot, anna, VERBS.groupShow, { groupId: group!.id }))).toBe(
      'Det du letar efter finns inte (längre), eller så har du inte tillgång till det.',
    );
  });
});

describe('posting check-ins in the channel', () => {
  let bot: ConversationHarness;
  let clock: Date;
  beforeEach(async () => {
    clock = now;
    bot = await conversationHarness({ members: roster, clock: () => clock });
  });

  test('when someone writes "@Målbild incheckning" then the first meeting\'s before check-in is posted, refreshed for each member, with no one answered yet', async () => {
    const group = await createGroup(bot, {}, { dates: ['2026-09-15', '2026-10-13'] });
    const { card, checkInId } = await postCheckIn(bot);
    expect(checkInId).toBe(`${group.id}~m1~before`);
    const text = cardText(card);
    expect(text).toContain(`${GROUP_NAME}: före träffen 15 september 2026`);
    expect(text).toContain('Öppen till 15 september 2026 15:30');
    expect(text).toContain('0 av 4 har svarat');
    const refresh = cardOf(card)?.refresh as { action: { verb: string; data: unknown }; userIds: string[] };
    expect(refresh.action).toMatchObject({ verb: VERBS.checkInView, data: { checkInId } });
    expect(refresh.userIds).toEqual(teachers.map((t) => t.id));
    expect(actionsOf(card)).toEqual([{ title: 'Svara', verb: VERBS.checkInView, data: { checkInId } }]);
    expect(bot.groupEffects.posted.map((c) => c.id)).toEqual([checkInId]);
    expect((await bot.stores.learningGroups.getCheckIn(TENANT_ID, checkInId))?.value).toMatchObject({ status: 'open', phase: 'before', meetingId: 'm1' });
  });

  test('when "@Målbild incheckning" is written again after the meeting has started then the after check-in is posted, and when all are posted and closed she is told so', async () => {
    const group = await createGroup(bot, {}, { dates: ['2026-09-15'] });
    expect((await postCheckIn(bot)).checkInId).toBe(`${group.id}~m1~before`);
    clock = FIRST_MEETING_START;
    const after = await postCheckIn(bot);
    expect(after.checkInId).toBe(`${group.id}~m1~after`);
    expect(cardText(after.card)).toContain(`${GROUP_NAME}: efter träffen 15 september 2026`);
    // The last meeting's after check-in stays open two weeks.
    clock = new Date('2026-10-01T08:00:00Z');
    const [third] = await say(bot, maria, 'incheckning');
    expect(third?.text).toBe('Alla incheckningar för gruppens träffar är redan utlagda.');
    expect(bot.groupEffects.posted.map((c) => c.id)).toEqual([`${group.id}~m1~before`, `${group.id}~m1~after`]);
  });

  test('when "@Målbild incheckning" is written again before the meeting has started then the open before check-in is posted again and no after check-in', async () => {
    const group = await createGroup(bot, {}, { dates: ['2026-09-15'] });
    const first = await postCheckIn(bot);
    clock = new Date(FIRST_MEETING_START.getTime() - 2 * 60_000);
    const again = await postCheckIn(bot);
    expect(again.checkInId).toBe(`${group.id}~m1~before`);
    expect(cardText(again.card)).toBe(cardText(first.card));
    expect(bot.groupEffects.posted.map((c) => c.id)).toEqual([`${group.id}~m1~before`, `${group.id}~m1~before`]);
    expect(await bot.stores.learningGroups.getCheckIn(TENANT_ID, `${group.id}~m1~after`)).toBeUndefined();
  });

  test('when the before check-in is closed and the meeting has not started then "@Målbild incheckning" says when the after check-in can be posted', async () => {
    const group = await createGroup(bot, {}, { dates: ['2026-09-15'] });
    const { checkInId } = await postCheckIn(bot);
    await bot.deps.groups.closeCheckIn(TENANT_ID, checkInId);
    const [reply] = await say(bot, maria, 'incheckning');
    expect(reply?.text).toBe('Incheckningen efter träffen 15 september 2026 kan du lägga ut när träffen har börjat.');
    expect(await bot.stores.learningGroups.getCheckIn(TENANT_ID, `${group.id}~m1~after`)).toBeUndefined();
  });

  test("when the group's card is shown then its check-in button names what it posts, and once posted it shows the open one again", async () => {
    await createGroup(bot, {}, { dates: ['2026-09-15'] });
    const checkInOfCard = async () => {
      const [card] = await say(bot, anna, 'lärgrupp');
      const line = cardText(card)
        .split('\n')
        .find((l) => l.includes('incheckning:'));
      return [line, allActionsOf(card).find((a) => a.verb === VERBS.groupCheckInNow)?.title];
    };
    expect(await checkInOfCard()).toEqual(['Nästa incheckning: före träffen 15 september 2026.', 'Lägg ut incheckningen']);
    await postCheckIn(bot);
    expect(await checkInOfCard()).toEqual(['Öppen incheckning: före träffen 15 september 2026.', 'Visa incheckningen igen']);
    clock = FIRST_MEETING_START;
    expect(await checkInOfCard()).toEqual(['Nästa incheckning: efter träffen 15 september 2026.', 'Lägg ut incheckningen']);
  });

  test('when "incheckning nu" is pressed on the group\'s card then the check-in is posted and the one who pressed is told', async () => {
    const group = await createGroup(bot);
    const replies = await press(bot, anna, VERBS.groupCheckInNow, { groupId: group.id });
    expect(invokeText(replies)).toBe('Incheckningen är utlagd.');
    expect(cardText(replies.find((r) => cardOf(r)))).toContain('0 av 4 har svarat');
    expect(bot.groupEffects.posted.map((c) => c.id)).toEqual([`${group.id}~m1~before`]);
  });

  test('when "@Målbild incheckning" is written in a thread of the channel then the check-in is a new post in the channel, and the thread is told where it is', async () => {
    await createGroup(bot, {}, { dates: ['2026-09-15'] });
    const mention = channelMention({ serviceUrl, from: maria, text: 'incheckning', threadOf: 'post-1' });
    const [card, pointer] = await bot.send(mention);
    // As the scheduler posts it: to the channel itself, not as a reply in the thread.
    expect(cardText(card)).toContain('0 av 4 har svarat');
    expect(card?.conversation?.id).toBe(TEAM.id);
    expect(card?.replyToId).toBeUndefined();
    expect(pointer?.text).toBe('Incheckningen ligger nu som ett eget inlägg i kanalen, så att hela gruppen ser den.');
    expect(pointer?.conversation?.id).toBe(`${TEAM.id};messageid=post-1`);
    expect(pointer?.replyToId).toBe(mention.id);
  });

  test("when the open check-in is asked for again, or posted with the group card's button, then it too is a new post in the channel", async () => {
    const group = await createGroup(bot, {}, { dates: ['2026-09-15'] });
    const posted = await press(bot, anna, VERBS.groupCheckInNow, { groupId: group.id });
    const card = posted.find((r) => cardOf(r));
    expect(card?.conversation?.id).toBe(TEAM.id);
    expect(card?.replyToId).toBeUndefined();
    const [again] = await bot.send(channelMention({ serviceUrl, from: maria, text: 'incheckning', threadOf: 'post-2' }));
    expect(cardText(again)).toContain('0 av 4 har svarat');
    expect(again?.conversation?.id).toBe(TEAM.id);
    expect(again?.replyToId).toBeUndefined();
  });

  test('when "@Målbild incheckning" is written in a group chat then the check-in is posted with nothing else said', async () => {
    const [form] = await bot.send(groupChatMention(maria, 'ny lärgrupp'));
    await bot.send(groupChatAction(maria, VERBS.groupSave, submission(form, VERBS.groupSave, { name: 'Arbetslag 4–6', members: idsOf(teachers) })));
    const replies = await bot.send(groupChatMention(maria, 'incheckning'));
    expect(replies).toHaveLength(1);
    expect(cardText(replies[0])).toContain('0 av 4 har svarat');
    expect(replies[0]?.conversation?.id).toBe(GROUP_CHAT);
  });

  test('when someone writes "@Målbild check in" in an English group then the check-in card is in English', async () => {
    await createGroup(bot, {}, { locale: 'en-US', dates: ['2026-09-15'] });
    const { card } = await postCheckIn(bot, 'en-US');
    expect(cardText(card)).toContain(`${GROUP_NAME}: before the meeting 15 September 2026`);
    expect(cardText(card)).toContain('0 of 4 have answered');
  });
});

describe('answering a check-in', () => {
  let bot: ConversationHarness;
  let checkInId: string;
  let clock: Date;
  let group: Group;
  const answers = () => bot.stores.learningGroups.answers(TENANT_ID, checkInId);

  beforeEach(async () => {
    clock = now;
    bot = await conversationHarness({ members: roster, clock: () => clock });
    group = await createGroup(bot);
    checkInId = (await postCheckIn(bot)).checkInId;
  });

  test('when a member opens the check-in then she gets her own form with the before questions', async () => {
    const form = invokeCard(await press(bot, anna, VERBS.checkInView, { checkInId }));
    expect(Object.keys(inputsOf(form))).toEqual(['tried', 'happened', 'evidence', 'ask']);
    expect(labelsOf(form)).toEqual([
      'Vad har du prövat i klassrummet sedan förra träffen?',
      'Vad hände för eleverna?',
      'Vilket exempel eller underlag tar du med (elevarbete, iakttagelse, data)?',
      'En fråga du vill att gruppen tar upp',
    ]);
    // The send button sits right under the form (not in the foot, below other answers).
    expect(actionsOf(form)).toEqual([]);
    expect(allActionsOf(form)).toEqual([{ type: 'Action.Execute', title: 'Skicka', verb: VERBS.checkInAnswer, data: { checkInId } }]);
  });

  test('when a required answer is missing then the card comes back with the problem and what she wrote, and nothing is stored', async () => {
    const form = invokeCard(await press(bot, anna, VERBS.checkInView, { checkInId }));
    const replies = await press(bot, anna, VERBS.checkInAnswer, submission(form, VERBS.checkInAnswer, { tried: 'Exit tickets i 5B', happened: ' ' }));
    const text = invokeText(replies);
    expect(text).toContain('Något behöver rättas innan svaret sparas:');
    expect(text).toContain('• Vad hände för eleverna?: Den här frågan behöver ett svar.');
    expect(inputsOf(invokeCard(replies)).tried).toBe('Exit tickets i 5B');
    expect(await answers()).toEqual([]);
    expect(bot.groupEffects.answersChangedFor).toEqual([]);
  });

  test('when an after check-in gets the rating 7 then the card asks for 1 to 5 and nothing is stored', async () => {
    // The after check-in is posted once the meeting has started.
    clock = bot.deps.groups.meetingTimes(group, group.meetings[0]!).start;
    const after = (await postCheckIn(bot)).checkInId;
    const form = invokeCard(await press(bot, anna, VERBS.checkInView, { checkInId: after }));
    // The goal question shows only to someone with confirmed goals.
    expect(Object.keys(inputsOf(form))).toEqual(['plan', 'lookFor', 'useful', 'support']);
    const replies = await press(bot, anna, VERBS.checkInAnswer, submission(form, VERBS.checkInAnswer, afterAnswer('Pröva EPA i 5B på tisdag', '7')));
    expect(invokeText(replies)).toContain('• Hur användbar var träffen? (1–5): Välj ett betyg från 1 till 5.');
    expect(await bot.stores.learningGroups.answers(TENANT_ID, after)).toEqual([]);
  });

  test('when a member opens the after check-in then the 1–5 rating says what its ends mean, each choice on a line of its own that wraps', async () => {
    clock = bot.deps.groups.meetingTimes(group, group.meetings[0]!).start;
    const after = (await postCheckIn(bot)).checkInId;
    const form = invokeCard(await press(bot, anna, VERBS.checkInView, { checkInId: after }));
    const [rating] = elementsOf(cardOf(form), (e) => e.id === 'useful');
    expect(rating).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded', wrap: true, label: 'Hur användbar var träffen? (1–5)' });
    expect(rating!.choices).toEqual([
      { title: '1 – inte alls användbar', value: '1' },
      { title: '2', value: '2' },
      { title: '3', value: '3' },
      { title: '4', value: '4' },
      { title: '5 – mycket användbar', value: '5' },
    ]);

    const english = invokeCard(
      await bot.send(cardAction({ serviceUrl, from: anna, verb: VERBS.checkInView, data: { checkInId: after }, where: 'channel', locale: 'en-US' })),
    );
    const [englishRating] = elementsOf(cardOf(english), (e) => e.id === 'useful');
    expect((englishRating!.choices as { title: string }[]).map((c) => c.title)).toEqual(['1 – not at all useful', '2', '3', '4', '5 – very useful']);
  });

  test("when a member answers then the answer is stored once, she is thanked, sees what she answered and the group's card is asked to refresh", async () => {
    const form = invokeCard(await press(bot, anna, VERBS.checkInView, { checkInId }));
    const replies = await press(bot, anna, VERBS.checkInAnswer, submission(form, VERBS.checkInAnswer, beforeAnswer('Exit tickets i 5B')));
    const text = invokeText(replies);
    expect(text).toContain('Tack! Ditt svar är sparat.');
    expect(text).toContain('1 av 4 har svarat');
    expect(text).toContain('Ditt svar');
    expect(text).toContain('Exit tickets i 5B');
    expect(actionsOf(invokeCard(replies))).toEqual([{ title: 'Ändra', verb: VERBS.checkInEdit, data: { checkInId } }]);
    const stored = await answers();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      aadObjectId: anna.aadObjectId,
      name: 'Anna Lindqvist',
      via: 'group',
      values: { tried: 'Exit tickets i 5B', happened: 'Fler elever förklarade hur de tänkte' },
    });
    expect(bot.groupEffects.answersChangedFor).toEqual([checkInId]);
  });

  test('when she opens the check-in after answering then she sees her answer, and "ändra" gives her the form filled in', async () => {
    await answer(bot, anna, checkInId, beforeAnswer('Exit tickets i 5B'));
    const view = invokeCard(await press(bot, anna, VERBS.checkInView, { checkInId }));
    expect(inputsOf(view)).toEqual({});
    expect(cardText(view)).toContain('Exit tickets i 5B');
    const edit = invokeCard(await press(bot, anna, VERBS.checkInEdit, { checkInId }));
    expect(inputsOf(edit)).toEqual({ tried: 'Exit tickets i 5B', happened: 'Fler elever förklarade hur de tänkte', evidence: '', ask: '' });
  });

  test('when she changes her answer then it replaces the first: still one answer, with the new text', async () => {
    await answer(bot, anna, checkInId, beforeAnswer('Exit tickets i 5B'));
    const first = (await answers())[0]!;
    const edit = invokeCard(await press(bot, anna, VERBS.checkInEdit, { checkInId }));
    const replies = await press(
      bot,
      anna,
      VERBS.checkInAnswer,
      submission(edit, VERBS.checkInAnswer, { tried: 'Exit tickets i 5B och 6A', ask: 'Hur följer vi upp?' }),
    );
    expect(invokeText(replies)).toContain('1 av 4 har svarat');
    const stored = await answers();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      values: { tried: 'Exit tickets i 5B och 6A', happened: 'Fler elever förklarade hur de tänkte', ask: 'Hur följer vi upp?' },
      answeredAt: first.answeredAt,
    });
    expect(bot.groupEffects.answersChangedFor).toEqual([checkInId, checkInId]);
  });

  test('when she answers in English then the thanks are in English', async () => {
    const replies = await bot.send(
      cardAction({
        serviceUrl,
        from: anna,
        verb: VERBS.checkInAnswer,
        data: { checkInId, ...beforeAnswer('Exit tickets') },
        where: 'channel',
        locale: 'en-US',
      }),
    );
    expect(invokeText(replies)).toContain('Thank you! Your answer is saved.');
    expect(invokeText(replies)).toContain('1 of 4 have answered');
  });

  test("when someone in the channel but not in the group sends an answer then it is refused, nothing is stored, and her view shows no one's answer", async () => {
    await answer(bot, anna, checkInId, beforeAnswer('Exit tickets i 5B'));
    const refused = await answer(bot, PRINCIPAL, checkInId, beforeAnswer('Rektorns svar'));
    expect(invokeText(refused)).toBe('Den här incheckningen hör till en grupp du inte är med i. Ingenting har ändrats.');
    expect((await answers()).map((a) => a.aadObjectId)).toEqual([anna.aadObjectId]);
    expect(bot.groupEffects.answersChangedFor).toEqual([checkInId]);

    const viewed = invokeCard(await press(bot, PRINCIPAL, VERBS.checkInView, { checkInId }));
    const text = cardText(viewed);
    expect(text).toContain('Du är inte med i den här gruppen, så du kan inte svara här.');
    expect(text).toContain('1 av 4 har svarat');
    expect(text).not.toContain('Exit tickets i 5B');
    expect(text).not.toContain('Anna Lindqvist');
    expect(inputsOf(viewed)).toEqual({});
    expect(actionsOf(viewed)).toEqual([]);
  });

  test('when someone outside the group sends "ändra" from her 1:1 chat then she gets neither a form nor anyone\'s answer', async () => {
    await answer(bot, anna, checkInId, beforeAnswer('Exit tickets i 5B'));
    const replies = await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.checkInEdit, data: { checkInId }, where: 'personal' }));
    expect(invokeText(replies)).toBe('Den här incheckningen hör till en grupp du inte är med i. Ingenting har ändrats.');
    expect(invokeCard(replies)).toBeUndefined();
  });
});

describe('what the group sees of the answers', () => {
  let bot: ConversationHarness;
  let clock: ReturnType<typeof movableClock>;
  const names = teachers.map((t) => t.name);

  beforeEach(async () => {
    clock = movableClock();
    bot = await conversationHarness({ members: roster, clock: clock.now });
  });

  test('when two of four have answered in an anonymous group then no count and no name is shown, only that fewer than 3 have answered', async () => {
    await createGroup(bot, { privacy: 'anonymous' });
    const { checkInId } = await postCheckIn(bot);
    await answer(bot, anna, checkInId, beforeAnswer('Annas försök'));
    const second = invokeText(await answer(bot, erik, checkInId, beforeAnswer('Eriks försök')));
    expect(second).toContain('Färre än 3 har svarat. Svaren visas när minst 3 har svarat.');
    expect(second).not.toMatch(/\d+ av 4 har svarat/);
    expect(second).not.toContain('Annas försök');
    for (const name of names) expect(second).not.toContain(name);

    const seenInTheChannel = invokeText(await press(bot, PRINCIPAL, VERBS.checkInView, { checkInId }));
    expect(seenInTheChannel).toContain('Färre än 3 har svarat');
    expect(seenInTheChannel).not.toMatch(/\d+ av 4 har svarat/);
    for (const name of names) expect(seenInTheChannel).not.toContain(name);
  });

  test('when three of four have answered in an anonymous group then the count is shown but never a name', async () => {
    await createGroup(bot, { privacy: 'anonymous' });
    const { checkInId } = await postCheckIn(bot);
    await answer(bot, anna, checkInId, beforeAnswer('Annas försök'));
    await answer(bot, erik, checkInId, beforeAnswer('Eriks försök'));
    const third = invokeText(await answer(bot, fatima, checkInId, beforeAnswer('Fatimas försök')));
    expect(third).toContain('3 av 4 har svarat');
    expect(third).not.toContain('Färre än 3');
    expect(third).not.toContain('Annas försök');
    for (const name of names) expect(third).not.toContain(name);
  });

  test("when a meeting of an anonymous group has passed with two answers then the group's card does not show a count for it", async () => {
    await createGroup(bot, { privacy: 'anonymous' }, { dates: ['2026-09-15', '2026-10-13'] });
    const { checkInId } = await postCheckIn(bot);
    await answer(bot, anna, checkInId, beforeAnswer('Annas försök'));
    await answer(bot, erik, checkInId, beforeAnswer('Eriks försök'));
    clock.set('2026-09-16T08:00:00Z');
    const text = cardText((await say(bot, maria, 'lärgrupp'))[0]);
    expect(text).toContain('Tidigare träffar');
    expect(text).toContain('15 september 2026: före <3, efter –');
    expect(text).not.toMatch(/före \d+\/4/);
  });

  test('when members of a named group answer then each sees who answered what', async () => {
    await createGroup(bot, { privacy: 'named' });
    const { checkInId } = await postCheckIn(bot);
    await answer(bot, anna, checkInId, beforeAnswer('Annas försök'));
    const text = invokeText(await answer(bot, erik, checkInId, beforeAnswer('Eriks försök')));
    expect(text).toContain('2 av 4 har svarat');
    expect(text).toContain('Gruppens svar');
    expect(text).toContain('**Anna Lindqvist**: Annas försök');
    expect(text).toContain('**Erik Johansson**: Eriks försök');
  });

  test("when a member of a named group opens the check-in then her own form and its send button come first, above everyone's answers", async () => {
    await createGroup(bot, { privacy: 'named' });
    const { checkInId } = await postCheckIn(bot);
    await answer(bot, anna, checkInId, beforeAnswer('Annas försök'));
    await answer(bot, erik, checkInId, beforeAnswer('Eriks försök'));

    const form = invokeCard(await press(bot, fatima, VERBS.checkInView, { checkInId }));
    const json = JSON.stringify(cardOf(form));
    const at = (text: string) => {
      expect(json).toContain(text);
      return json.indexOf(text);
    };
    expect(at('"id":"tried"')).toBeLessThan(at('"id":"ask"'));
    expect(at('"id":"ask"')).toBeLessThan(at(`"verb":"${VERBS.checkInAnswer}"`));
    expect(at(`"verb":"${VERBS.checkInAnswer}"`)).toBeLessThan(at('Gruppens svar'));
    expect(at('Gruppens svar')).toBeLessThan(at('Annas försök'));
    expect(allActionsOf(form).map((a) => a.title)).toEqual(['Skicka']);

    // Once she has answered, her own answer is what comes first.
    const answered = JSON.stringify(cardOf(invokeCard(await answer(bot, fatima, checkInId, beforeAnswer('Fatimas försök')))));
    expect(answered.indexOf('Ditt svar')).toBeGreaterThan(-1);
    expect(answered.indexOf('Ditt svar')).toBeLessThan(answered.indexOf('Gruppens svar'));
  });

  test('when a named group has answers and someone outside it asks for the check-in from her 1:1 chat then she sees no names and no answers', async () => {
    await createGroup(bot, { privacy: 'named' });
    const { checkInId } = await postCheckIn(bot);
    await answer(bot, anna, checkInId, beforeAnswer('Annas försök'));
    const text = invokeText(await bot.send(cardAction({ serviceUrl, from: PRINCIPAL, verb: VERBS.checkInView, data: { checkInId }, where: 'personal' })));
    expect(text).toBe('Den här incheckningen hör till en grupp du inte är med i. Ingenting har ändrats.');
  });

  test('when members of a group with totals only answer then the count shows but no names', async () => {
    await createGroup(bot);
    const { checkInId } = await postCheckIn(bot);
    await answer(bot, anna, checkInId, beforeAnswer('Annas försök'));
    const text = invokeText(await answer(bot, erik, checkInId, beforeAnswer('Eriks försök')));
    expect(text).toContain('2 av 4 har svarat');
    expect(text).not.toContain('Gruppens svar');
    expect(text).not.toContain('Anna Lindqvist');
    expect(text).not.toContain('Annas försök');
  });
});

describe('the learning log', () => {
  let bot: ConversationHarness;
  let clock: ReturnType<typeof movableClock>;
  let group: Group;

  beforeEach(async () => {
    clock = movableClock();
    bot = await conversationHarness({ members: roster, clock: clock.now });
  });

  /** The first meeting (15 September): one answer before it, two after it. */
  async function firstMeetingWithAnswers() {
    const before = (await postCheckIn(bot)).checkInId;
    await answer(bot, anna, before, beforeAnswer('Annas försök'));
    // The meeting is over (15:30–17:00 in Stockholm).
    clock.set('2026-09-15T16:00:00Z');
    const after = (await postCheckIn(bot)).checkInId;
    await answer(bot, anna, after, afterAnswer('Pröva EPA i 5B på tisdag', '4'));
    await answer(bot, erik, after, afterAnswer('Lärpar i 6A', '5'));
  }

  test('when someone writes "@Målbild lärgrupp logg" before any check-in then the log says there is nothing yet', async () => {
    group = await createGroup(bot);
    const text = cardText((await say(bot, anna, 'lärgrupp logg'))[0]);
    expect(text).toContain(`Logg: ${GROUP_NAME}`);
    expect(text).toContain('Läsåret 2026/27 hittills');
    expect(text).toContain('Inga träffar har haft incheckningar ännu.');
  });

  test('when a meeting has had its check-ins then "@Målbild lärgrupp logg" shows its answer rate, usefulness and what the members will try, without names', async () => {
    group = await createGroup(bot, {}, { dates: ['2026-09-15', '2026-10-13'] });
    await firstMeetingWithAnswers();
    const text = cardText((await say(bot, anna, 'lärgrupp logg'))[0]);
    // Which count is före and which efter is said, not left to the order.
    expect(text).toContain('15 september 2026 – före: 1 av 4 · efter: 2 av 4 · nytta 4,5');
    expect(text).toContain('Lärloggen: det här ska vi pröva');
    expect(text).toContain('• Lärpar i 6A');
    expect(text).toContain('• Pröva EPA i 5B på tisdag');
    expect(text).not.toContain('Anna Lindqvist');
    expect(text).not.toContain('Erik Johansson');
  });

  test("when a meeting has had its check-ins then the log's chart names it by a short date that fits a phone's axis", async () => {
    group = await createGroup(bot, {}, { dates: ['2026-09-15', '2026-10-13'] });
    await firstMeetingWithAnswers();
    const [log] = await say(bot, anna, 'lärgrupp logg');
    const [chart] = elementsOf(cardOf(log), (e) => e.type === 'Chart.VerticalBar');
    expect(chart).toMatchObject({ data: [{ x: '15/9', y: 4.5 }], fallback: { text: 'Nytta per träff: 15/9: 4,5' } });
    const [englishLog] = await say(bot, anna, 'learning group log', 'en-US');
    expect(elementsOf(cardOf(englishLog), (e) => e.type === 'Chart.VerticalBar')[0]).toMatchObject({ data: [{ x: '15 Sept', y: 4.5 }] });
  });

  test("when a named group's meeting has had its check-ins then the log says who will try what", async () => {
    group = await createGroup(bot, { privacy: 'named' }, { dates: ['2026-09-15', '2026-10-13'] });
    await firstMeetingWithAnswers();
    const text = cardText((await say(bot, anna, 'lärgrupp logg'))[0]);
    expect(text).toContain('• Anna Lindqvist: Pröva EPA i 5B på tisdag');
    expect(text).toContain('• Erik Johansson: Lärpar i 6A');
  });

  test("when the day of a meeting has passed then the group's card counts its answers before and after", async () => {
    group = await createGroup(bot, {}, { dates: ['2026-09-15', '2026-10-13'] });
    await firstMeetingWithAnswers();
    clock.set('2026-09-16T08:00:00Z');
    const text = cardText((await say(bot, anna, 'lärgrupp'))[0]);
    expect(text).toContain('15 september 2026: före 1/4, efter 2/4');
    expect(text).toContain('Nästa träff: 13 oktober 2026 15:30–17:00');
  });

  test('when "logg" is pressed on the group\'s card then the log is posted and the card stays the group\'s card', async () => {
    group = await createGroup(bot);
    const replies = await press(bot, anna, VERBS.groupLog, { groupId: group.id });
    expect(cardText(replies.find((r) => cardOf(r)))).toContain(`Logg: ${GROUP_NAME}`);
    expect(invokeText(replies)).toContain('Samtalsledare: Maria Ekström');
  });

  test('when someone writes "@Målbild learning group log" in English then the log is in English', async () => {
    group = await createGroup(bot, {}, { locale: 'en-US' });
    const text = cardText((await say(bot, anna, 'learning group log', 'en-US'))[0]);
    expect(text).toContain(`Log: ${GROUP_NAME}`);
    expect(text).toContain('No meeting has had check-ins yet.');
  });

  test("when an English group's meeting has had its check-ins then the log names the before and after counts in English", async () => {
    group = await createGroup(bot, {}, { dates: ['2026-09-15', '2026-10-13'], locale: 'en-US' });
    await firstMeetingWithAnswers();
    const text = cardText((await say(bot, anna, 'learning group log', 'en-US'))[0]);
    expect(text).toContain('15 September 2026 – before: 1 of 4 · after: 2 of 4 · usefulness 4.5');
  });
});

describe('editing the check-in questions', () => {
  let bot: ConversationHarness;
  let group: Group;
  const editor = async (from = maria) => press(bot, from, VERBS.groupQuestions, { groupId: group.id });
  const storedQuestions = async () => (await bot.stores.learningGroups.getGroup(TENANT_ID, group.id))?.value.questions;

  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
    group = await createGroup(bot);
  });

  test('when the facilitator presses "ändra frågorna" then the editor shows the before questions of all meetings', async () => {
    const replies = await editor();
    expect(invokeText(replies)).toContain(`Frågor i ${GROUP_NAME}`);
    expect(inputsOf(invokeCard(replies))).toMatchObject({
      scope: 'all',
      phase: 'before',
      q0Label: 'Vad har du prövat i klassrummet sedan förra träffen?',
      q0Required: 'true',
      q2Label: 'Vilket exempel eller underlag tar du med (elevarbete, iakttagelse, data)?',
      q2Required: 'false',
      newLabel: '',
    });
    expect(actionsOf(invokeCard(replies)).find((a) => a.verb === VERBS.groupSaveQuestions)?.data).toEqual({ groupId: group.id, shown: 'all|before' });
  });

  test('when the facilitator renames a question and adds one then the next check-in asks the new questions', async () => {
    const card = invokeCard(await editor());
    const replies = await press(
      bot,
      maria,
      VERBS.groupSaveQuestions,
      submission(card, VERBS.groupSaveQuestions, { q0Label: 'Vad prövade du med din klass?', newLabel: 'Vilken text vill du att vi läser till nästa gång?' }),
    );
    expect(messagesIn(replies)).toEqual(['Frågorna är sparade. De gäller incheckningar som läggs ut från och med nu.']);
    expect(inputsOf(invokeCard(replies)).q4Label).toBe('Vilken text vill du att vi läser till nästa gång?');

    const { checkInId } = await postCheckIn(bot);
    const form = invokeCard(await press(bot, anna, VERBS.checkInView, { checkInId }));
    expect(labelsOf(form)).toEqual([
      'Vad prövade du med din klass?',
      'Vad hände för eleverna?',
      'Vilket exempel eller underlag tar du med (elevarbete, iakttagelse, data)?',
      'En fråga du vill att gruppen tar upp',
      'Vilken text vill du att vi läser till nästa gång?',
    ]);
    expect(Object.keys(inputsOf(form))).toEqual(['tried', 'happened', 'evidence', 'ask', 'custom1']);
  });

  test('when the facilitator chooses the after check-in and saves without loading then nothing is saved and the editor says why', async () => {
    const card = invokeCard(await editor());
    const replies = await press(
      bot,
      maria,
      VERBS.groupSaveQuestions,
      submission(card, VERBS.groupSaveQuestions, { phase: 'after', q0Label: 'Vad tar du med dig?' }),
    );
    expect(invokeText(replies)).toContain('Du har valt andra frågor än de som visas. Inget är sparat.');
    expect(messagesIn(replies)).toEqual([]);
    expect(inputsOf(invokeCard(replies))).toMatchObject({ phase: 'before', q0Label: 'Vad har du prövat i klassrummet sedan förra träffen?' });
    expect(await storedQuestions()).toEqual(group.questions);
  });

  test('when the facilitator loads the after questions and saves them then the after questions change and the before ones stay', async () => {
    const loaded = invokeCard(await press(bot, maria, VERBS.groupQuestions, { groupId: group.id, scope: 'all', phase: 'after' }));
    expect(actionsOf(loaded).find((a) => a.verb === VERBS.groupSaveQuestions)?.data).toEqual({ groupId: group.id, shown: 'all|after' });
    const replies = await press(bot, maria, VERBS.groupSaveQuestions, submission(loaded, VERBS.groupSaveQuestions, { q0Label: 'Vad tar du med dig?' }));
    expect(messagesIn(replies)).toEqual(['Frågorna är sparade. De gäller incheckningar som läggs ut från och med nu.']);
    const stored = await storedQuestions();
    expect(stored?.after[0]?.label).toBe('Vad tar du med dig?');
    expect(stored?.before).toEqual(group.questions.before);
  });

  test('when every question is emptied then the editor says so and the questions stay', async () => {
    const card = invokeCard(await editor());
    const replies = await press(
      bot,
      maria,
      VERBS.groupSaveQuestions,
      submission(card, VERBS.groupSaveQuestions, { q0Label: '', q1Label: '', q2Label: '', q3Label: '' }),
    );
    expect(invokeText(replies)).toContain('Det måste finnas 1–6 frågor, och varje fråga högst 300 tecken.');
    expect(messagesIn(replies)).toEqual([]);
    expect(await storedQuestions()).toEqual(group.questions);
  });

  test('when another member opens or sends the question editor then she is refused and the questions stay', async () => {
    expect(invokeText(await editor(anna))).toBe('Bara gruppens samtalsledare kan ändra gruppen. Ingenting har ändrats.');
    const card = invokeCard(await editor());
    const saved = await press(
      bot,
      anna,
      VERBS.groupSaveQuestions,
      submission(card, VERBS.groupSaveQuestions, { q0Label: 'Annas fråga', newLabel: 'Och en till' }),
    );
    expect(invokeText(saved)).toBe('Bara gruppens samtalsledare kan ändra gruppen. Ingenting har ändrats.');
    expect(messagesIn(saved)).toEqual([]);
    expect(await storedQuestions()).toEqual(group.questions);
  });
});
