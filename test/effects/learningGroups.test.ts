import type { Running } from '../../src/index';
import { type BotWithConnector, postActivity, startWithConnector } from '../helpers/http';
import { cardInCall, inputsOf } from '../helpers/cards';
import { eventually } from '../helpers/eventually';
import { peakWithin } from '../helpers/timing';
import type { AdaptiveCard } from '../../src/cards/render';
import { VERBS } from '../../src/cards/verbs';
import { type CheckIn, checkInId, checkInView, type Group } from '../../src/domain/learningGroup';
import { type CheckInPosting, groupCheckInCard, LearningGroupDelivery, postCheckIn } from '../../src/effects/learningGroups';
import type { LearningGroupRepository } from '../../src/domain/learningGroupRepository';
import type { ConnectorPort, ProactiveDelivery } from '../../src/proactive';
import type { Scheduler } from '../../src/scheduler';
import { openStores, type Stores } from '../../src/storage';
import { cardAction, channelMention, type Person, person, TEAM, TENANT_ID } from '../helpers/activities';
import { capturingLogger, testConfig } from '../helpers/bot';
import type { ConnectorCall, FakeConnector } from '../helpers/connector';
import { sampleGroup } from '../helpers/learningGroups';
import { rosterRule } from '../helpers/roster';
import { zonedTime } from '../../src/time';

/**
 * What follows answers to a learning group's check-in outside the turn:
 * the group's card refreshed in place within Teams' limits for one
 * conversation, whatever the group's privacy allows it to show, and nothing
 * for someone outside the group. The whole bot runs (scheduler, outbox) on
 * the test Azurite; answers arrive as Teams' invokes at /api/messages; a
 * local Bot Connector records every call with the moment it arrived.
 */

const FIRST_NAMES = ['Anna', 'Erik', 'Fatima', 'Gustav', 'Hanna', 'Ivar', 'Jonna', 'Karim', 'Lisa', 'Mats'];
const LAST_NAMES = ['Lindqvist', 'Johansson', 'Hassan'];
/** Thirty colleagues with names that are unique and easy to find in a card. */
const staff: Person[] = Array.from({ length: 30 }, (_, i) => person(`${FIRST_NAMES[i % 10]} ${LAST_NAMES[Math.floor(i / 10)]}${i + 1}`, 100 + i));
const outsiders: Person[] = ['Olle Utanför', 'Petra Annangrupp'].map((name, i) => person(name, 200 + i));

/** Teams' limit for one conversation: 7 requests a second. */
const PER_SECOND = 7;

const CHANNELS = {
  concurrent: '19:lg-matematik@thread.tacv2',
  anonymous: '19:lg-elevhalsa@thread.tacv2',
  named: '19:lg-svenska@thread.tacv2',
  other: '19:lg-idrott@thread.tacv2',
} as const;

function text(call: ConnectorCall | undefined): string {
  return JSON.stringify(call?.body);
}

/** The same activity as Teams sends it from another channel of the staff team. */
function inChannel<T extends { conversation: object; channelData: object }>(activity: T, channelId: string): T {
  return { ...activity, conversation: { ...activity.conversation, id: channelId }, channelData: { ...activity.channelData, channel: { id: channelId } } };
}

/** The most calls that arrived within any `ms` milliseconds. */
function callsPeak(calls: ConnectorCall[], ms: number): number {
  return peakWithin(
    calls.map((c) => c.at),
    ms,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('learning group check-ins under load, by privacy and across groups', () => {
  let bot: BotWithConnector;
  let connector: FakeConnector;
  let running: Running;
  let stores: Stores;
  const config = testConfig({ SCHEDULER_POLL_MS: '1000' });
  // 2026-09-01 08:00 in Stockholm, running on with real time: coalescing windows and rate limits are real seconds.
  // Time only moves forward (the senders' rate limits remember it).
  let offset = Date.parse('2026-09-01T06:00:00Z') - Date.now();
  const now = () => new Date(Date.now() + offset);

  beforeAll(async () => {
    bot = await startWithConnector(config, { now, rules: [rosterRule(TEAM.id, [...staff, ...outsiders])] });
    ({ connector, running } = bot);
    stores = await openStores({ connectionString: config.storage.connectionString!, tablePrefix: config.storage.tablePrefix });
  });

  afterAll(() => bot?.stop());

  const post = (activity: unknown): Promise<string> => postActivity(running, activity);

  /** Into the channel: posts (new activities and replies) and updates. */
  const callsInto = (channelId: string) =>
    connector.calls.filter((c) => c.conversationId === channelId && (c.method === 'POST' || c.method === 'PUT') && c.path.includes('/activities'));

  /** Creates a group in a channel of the staff team the way a facilitator does: the form, then "Skapa gruppen". */
  async function createGroup(channelId: string, name: string, members: Person[], privacy: 'named' | 'totals' | 'anonymous'): Promise<void> {
    const facilitator = members[0]!;
    await post(inChannel(channelMention({ serviceUrl: connector.url, from: facilitator, text: 'ny lärgrupp', channelId }), channelId));
    const form = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === channelId && text(c).includes('Ny lärgrupp'), 10_000);
    const inputs = inputsOf(cardInCall(form));
    const saved = await post(
      inChannel(
        cardAction({
          serviceUrl: connector.url,
          from: facilitator,
          verb: VERBS.groupSave,
          where: 'channel',
          replyToId: `form-${channelId}`,
          data: { ...inputs, groupId: '', name, members: members.map((m) => m.aadObjectId).join(','), privacy },
        }),
        channelId,
      ),
    );
    expect(saved).toContain(`Medlemmar (${members.length})`);
  }

  /** `@Målbild incheckning`: posts the group's next check-in in its channel; its id and the card's activity id. */
  async function postNextCheckIn(channelId: string, from: Person): Promise<{ checkInId: string; activityId: string }> {
    const before = connector.calls.length;
    await post(inChannel(channelMention({ serviceUrl: connector.url, from, text: 'incheckning', channelId }), channelId));
    const card = await connector.waitFor(
      (c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && c.conversationId === channelId && text(c).includes('"checkInId"'),
      10_000,
    );
    const checkInId = /"checkInId":"([^"]+)"/.exec(text(card))![1]!;
    const checkIn = await eventually(async () => {
      const stored = (await stores.learningGroups.getCheckIn(TENANT_ID, checkInId))?.value;
      return stored?.activityId ? stored : undefined;
    });
    return { checkInId, activityId: checkIn.activityId! };
  }

  function answer(channelId: string, from: Person, checkInId: string, values: Record<string, string>, where: 'channel' | 'personal' = 'channel') {
    const activity = cardAction({ serviceUrl: connector.url, from, verb: VERBS.checkInAnswer, where, replyToId: 'card', data: { checkInId, ...values } });
    return post(where === 'channel' ? inChannel(activity, channelId) : activity);
  }

  test('when thirty members answer at once then all thirty are stored, and the card is updated about once a second, never over 7 a second, ending at "30 av 30" with the right average', async () => {
    const channelId = CHANNELS.concurrent;
    await createGroup(channelId, 'Matematik F–9', staff, 'totals');
    const before = await postNextCheckIn(channelId, staff[0]!); // before the first meeting
    // The after check-in can be posted once the meeting has started: the clock moves there, for the tests after this one too.
    const group = (await stores.learningGroups.getGroup(TENANT_ID, before.checkInId.split('~')[0]!))!.value;
    offset = zonedTime(group.meetings[0]!.date, group.startTime, config.timeZone).getTime() - Date.now();
    const { checkInId, activityId } = await postNextCheckIn(channelId, staff[0]!); // after it
    expect(checkInId).toContain('~after');

    // Ratings: twelve 5s, ten 4s, eight 2s → 116 / 30 ≈ 3,9.
    const rating = (i: number) => (i < 12 ? 5 : i < 22 ? 4 : 2);
    const startedAt = Date.now();
    const responses = await Promise.all(
      staff.map((member, i) =>
        answer(channelId, member, checkInId, {
          plan: `Exit tickets i klass ${i + 1}`,
          lookFor: 'Fler elever förklarar',
          useful: String(rating(i)),
          support: '',
        }),
      ),
    );
    const answeredIn = Date.now() - startedAt;
    for (const response of responses) expect(response).toContain('Tack! Ditt svar är sparat.');
    expect(await stores.learningGroups.answers(TENANT_ID, checkInId)).toHaveLength(30);

    const updatesOfCard = () =>
      connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === channelId && c.path.endsWith(`/activities/${activityId}`));
    await connector.waitFor((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${activityId}`) && text(c).includes('30 av 30 har svarat'), 15_000);
    // Time for a straggling refresh, if any were still to come.
    await sleep(2_500);

    const updates = updatesOfCard();
    const last = text(updates.at(-1));
    expect(last).toContain('30 av 30 har svarat');
    expect(last).toContain('Nytta i snitt 3,9 av 5 (30 svar)');
    const whileAnswering = callsInto(channelId).filter((c) => c.at >= startedAt);
    expect(whileAnswering.every((c) => c.method === 'PUT')).toBe(true);
    expect(callsPeak(whileAnswering, 1_000)).toBeLessThanOrEqual(PER_SECOND);
    // Coalesced: at most one refresh per second-long window in which answers arrived, not one per answer.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(answeredIn / 1_000) + 1);
  }, 60_000);

  test('when an anonymous group answers then no member name and no answer text appears in anything sent to or updated in its channel, and no count shows before three have answered', async () => {
    const channelId = CHANNELS.anonymous;
    const members = staff.slice(0, 5);
    await createGroup(channelId, 'Elevhälsoteamet', members, 'anonymous');
    const from = connector.calls.length;
    const { checkInId, activityId } = await postNextCheckIn(channelId, members[0]!);
    const cardUpdate = (predicate: (body: string) => boolean) =>
      connector.waitFor((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${activityId}`) && predicate(text(c)), 10_000);
    const said = (member: Person) => ({ tried: `Samtalsstöd hos ${member.name.split(' ')[1]}`, happened: `Hemligt utfall ${member.aadObjectId.slice(-3)}` });

    for (const member of members.slice(0, 2)) expect(await answer(channelId, member, checkInId, said(member))).toContain('Tack! Ditt svar är sparat.');
    const few = await cardUpdate((body) => body.includes('Färre än 3 har svarat'));
    expect(text(few)).not.toContain('av 5 har svarat');

    for (const member of members.slice(2)) expect(await answer(channelId, member, checkInId, said(member))).toContain('Tack! Ditt svar är sparat.');
    await cardUpdate((body) => body.includes('5 av 5 har svarat'));

    // The group's form and card name the members by design; from the check-in on, nothing in the channel may.
    const sent = connector.calls.slice(from).filter((c) => callsInto(channelId).includes(c));
    // The check-in as a new post in the channel, and the short reply in the command's thread that points to it.
    const posts = sent.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.path)).toEqual([`/v3/conversations/${channelId}/activities`, expect.stringMatching(/\/activities\/[^/]+$/)]);
    expect(text(posts[1])).toContain('Incheckningen ligger nu som ett eget inlägg i kanalen');
    expect(sent.filter((c) => c.method === 'PUT').length).toBeGreaterThanOrEqual(2);
    for (const call of sent) {
      // A reply's envelope names whom it answers (the one who wrote "@Målbild incheckning", shown as that message's author anyway); Teams does not display it.
      const { recipient, ...activity } = call.body ?? {};
      if (recipient !== undefined) expect(recipient).toMatchObject({ id: members[0]!.id });
      for (const member of members) {
        expect(JSON.stringify(activity)).not.toContain(member.name);
        for (const words of Object.values(said(member))) expect(JSON.stringify(activity)).not.toContain(words);
      }
    }
    expect(await stores.learningGroups.answers(TENANT_ID, checkInId)).toHaveLength(5);
  }, 60_000);

  test("when a member of another group crafts invokes with this group's check-in then nothing is stored and no answer or name comes back", async () => {
    const members = staff.slice(10, 13);
    const [outsider, otherFacilitator] = outsiders as [Person, Person];
    await createGroup(CHANNELS.named, 'Svenska 7–9', members, 'named');
    await createGroup(CHANNELS.other, 'Idrott', [otherFacilitator, outsider], 'named');
    const { checkInId } = await postNextCheckIn(CHANNELS.named, members[0]!);
    const secret = 'Läsloggar med högläsning i 8C';
    expect(await answer(CHANNELS.named, members[0]!, checkInId, { tried: secret, happened: 'Fler läste klart' })).toContain('Tack! Ditt svar är sparat.');

    // From the other group's channel and from a 1:1 chat: an answer is refused and nothing is stored.
    for (const where of ['channel', 'personal'] as const) {
      const refused = await answer(CHANNELS.other, outsider, checkInId, { tried: 'Inget', happened: 'Inget' }, where);
      expect(refused).toContain('Den här incheckningen hör till en grupp du inte är med i');
      expect(refused).not.toContain(secret);
    }
    const answers = await stores.learningGroups.answers(TENANT_ID, checkInId);
    expect(answers.map((a) => a.aadObjectId)).toEqual([members[0]!.aadObjectId]);

    // Asking to see the check-in (the card's "Svara", or a refresh) shows no one's answer or name.
    for (const verb of [VERBS.checkInView, VERBS.checkInEdit]) {
      for (const where of ['channel', 'personal'] as const) {
        const activity = cardAction({ serviceUrl: connector.url, from: outsider, verb, where, replyToId: 'card', data: { checkInId } });
        const seen = await post(where === 'channel' ? inChannel(activity, CHANNELS.other) : activity);
        expect(seen).toContain('Den här incheckningen hör till en grupp du inte är med i');
        expect(seen).not.toContain(secret);
        expect(seen).not.toContain(members[0]!.name);
      }
    }
  }, 60_000);
});

describe('posting a check-in: one path for the turn and the scheduler', () => {
  const group: Group = sampleGroup({
    facilitator: { aadObjectId: 'aad-lena', userId: '29:lena', name: 'Lena' },
    members: [{ aadObjectId: 'aad-lena', userId: '29:lena', name: 'Lena', role: 'lärare' }],
    meetings: [{ id: 'm1', date: '2026-09-15', questions: {} }],
  });
  const opened: CheckIn = {
    id: checkInId(group.id, 'm1', 'before'),
    tenantId: group.tenantId,
    groupId: group.id,
    meetingId: 'm1',
    phase: 'before',
    questions: group.questions.before,
    members: group.members,
    postedAt: '2026-09-14T13:30:00.000Z',
    closesAt: '2026-09-15T13:30:00.000Z',
    status: 'open',
  };

  /** The domain's side, recorded: what was opened and which activity id was recorded. */
  function recordingCheckIns(existing?: CheckIn) {
    const recorded: (string | undefined)[] = [];
    const checkIns: CheckInPosting = {
      openCheckIn: async () => ({ checkIn: existing ?? opened, created: !existing }),
      view: async () => checkInView(group, existing ?? opened, []),
      checkInPosted: async (_group, checkIn, activityId) => {
        recorded.push(activityId);
        return { ...checkIn, ...(activityId ? { activityId } : {}) };
      },
    };
    return { checkIns, recorded };
  }

  test("when a check-in is posted then the group's card goes out through the given send and the activity id it got is recorded", async () => {
    const { checkIns, recorded } = recordingCheckIns();
    const sent: AdaptiveCard[] = [];
    const posted = await postCheckIn(checkIns, 'Europe/Stockholm', group, 'm1', 'before', async (card) => {
      sent.push(card);
      return 'activity-1';
    });
    expect(sent).toEqual([groupCheckInCard(checkInView(group, opened, []), 'Europe/Stockholm')]);
    expect(recorded).toEqual(['activity-1']);
    expect(posted?.activityId).toBe('activity-1');
  });

  test('when the check-in has its card already or the meeting is unknown then nothing is sent', async () => {
    const { checkIns, recorded } = recordingCheckIns({ ...opened, activityId: 'activity-0' });
    const send = jest.fn(async () => 'activity-2');
    expect((await postCheckIn(checkIns, 'Europe/Stockholm', group, 'm1', 'before', send))?.activityId).toBe('activity-0');
    expect(await postCheckIn(checkIns, 'Europe/Stockholm', group, 'no-such-meeting', 'before', send)).toBeUndefined();
    expect(send).not.toHaveBeenCalled();
    expect(recorded).toEqual([]);
  });
});

describe("the group card's refresh: one durable job per check-in and window", () => {
  const checkIn = { id: 'g1~m1~before', tenantId: TENANT_ID } as CheckIn;
  const T = Date.parse('2026-09-15T10:00:00.000Z');

  /** The delivery with a scheduler that records what it is asked to schedule (and can fail); the clock is `at`. */
  function delivery(at: { ms: number }, fail?: () => boolean) {
    const scheduled: { id: string; dueAt: Date }[] = [];
    const scheduler = {
      register: () => undefined,
      wakeAt: () => undefined,
      scheduleNew: async (request: { id: string; dueAt: Date }) => {
        await sleep(5);
        if (fail?.()) throw new Error('storage is down');
        scheduled.push({ id: request.id, dueAt: request.dueAt });
        return { outcome: 'created' };
      },
    } as unknown as Scheduler;
    const clock = { now: () => new Date(at.ms), timeZone: 'Europe/Stockholm' };
    const { logger } = capturingLogger('silent');
    const effects = new LearningGroupDelivery({
      groups: {} as LearningGroupRepository,
      clock,
      beforeSummaryLeadHours: 2,
      languages: { chosenLanguagesIn: async () => new Map() },
      proactive: {} as ProactiveDelivery,
      scheduler,
      connector: {} as ConnectorPort,
      goalChoices: async () => [],
      logger,
    });
    return { effects, scheduled };
  }

  test('when thirty answers arrive in one second then one refresh is written, due at the end of that second', async () => {
    const at = { ms: T + 100 };
    const { effects, scheduled } = delivery(at);
    await Promise.all(Array.from({ length: 30 }, () => effects.answersChanged(checkIn)));
    at.ms = T + 700;
    await effects.answersChanged(checkIn);
    expect(scheduled).toEqual([{ id: `checkin-card|${checkIn.id}|2026-09-15T10:00:00.000Z`, dueAt: new Date(T + 1_000) }]);
  });

  test('when an answer comes in the last quarter of its second then it goes with the next refresh', async () => {
    const at = { ms: T + 100 };
    const { effects, scheduled } = delivery(at);
    await effects.answersChanged(checkIn);
    at.ms = T + 800;
    await effects.answersChanged(checkIn);
    at.ms = T + 1_300;
    await effects.answersChanged(checkIn);
    expect(scheduled.map((job) => job.dueAt.getTime() - T)).toEqual([1_000, 2_000]);
  });

  test('when the refresh could not be written then that answer fails and the next one writes it', async () => {
    const at = { ms: T + 100 };
    let failing = true;
    const { effects, scheduled } = delivery(at, () => failing);
    await expect(effects.answersChanged(checkIn)).rejects.toThrow('storage is down');
    failing = false;
    await effects.answersChanged(checkIn);
    expect(scheduled).toHaveLength(1);
  });
});
