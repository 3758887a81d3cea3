import { VERBS } from '../../src/cards/verbs';
import { person, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { cardInCall, inputsOf } from '../helpers/cards';
import { eventually } from '../helpers/eventually';
import { botPerDescribe, drivenClock, text } from '../helpers/frontDoor';
import { rosterRule } from '../helpers/roster';

/**
 * Lärgrupper through the front door: Teams-shaped activities POSTed to
 * /api/messages, the bot's calls answered by a local Bot Connector, rows in
 * the test Azurite, the scheduler and the outbox running as in production
 * on a clock the test moves (it runs on with real time from where it is set).
 */

const facilitator = person('Maria Ekström', 31);
const teachers = ['Anna Lindqvist', 'Erik Johansson', 'Fatima Hassan', 'Gustav Berg', 'Hanna Nyström'].map((name, i) => person(name, i + 32));
const members = [facilitator, ...teachers];
/** Answers in the channel; the last teacher answers only after the reminder. */
const early = members.slice(0, 5);
const late = teachers[4]!;

const CHECK_IN_ACTIVITY = 'checkin-card-1';
const HOUR = 3_600_000;

describe('lärgrupper end to end through /api/messages', () => {
  // 2026-09-01 08:00 in Stockholm, a Tuesday early in the läsår.
  const { now, setClock } = drivenClock('2026-09-01T06:00:00Z');
  const bot = botPerDescribe({
    env: { SCHEDULER_POLL_MS: '1000' },
    now,
    rules: [
      rosterRule(TEAM.id, [PRINCIPAL, ...members]),
      // The check-in card posted into the channel gets an id the test knows.
      (call) =>
        call.method === 'POST' && call.conversationId === TEAM.id && /\/activities$/.test(call.path) && text(call).includes(' av 6 har svarat')
          ? { status: 200, body: { id: CHECK_IN_ACTIVITY } }
          : undefined,
    ],
  });

  const channelCalls = (method: 'POST' | 'PUT') =>
    bot.connector.calls.filter((c) => c.method === method && c.conversationId === TEAM.id && c.path.includes('/activities'));
  const checkInUpdates = () => channelCalls('PUT').filter((c) => c.path.endsWith(`/activities/${CHECK_IN_ACTIVITY}`));

  test('when a group of six is created in the staff channel then its check-in is posted at its time, the one who has not answered is reminded in 1:1 and answers there, the card reaches "6 av 6 har svarat", the facilitator gets the summary two hours before the meeting and what changed after closing', async () => {
    const { connector, stores } = bot;
    // The facilitator asks for the form in the staff channel.
    await bot.inChannel(TEAM, facilitator, 'ny lärgrupp');
    const formCall = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Ny lärgrupp'), 10_000);
    const form = inputsOf(cardInCall(formCall));
    expect(form.facilitator).toBe(facilitator.aadObjectId);
    expect(form.date0).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const dates = Object.keys(form)
      .filter((key) => /^date\d+$/.test(key))
      .map((key) => form[key]!)
      .sort();
    expect(dates).toHaveLength(6);

    // …fills it in (the principal is in the team but not in the group) and submits it.
    const saved = await bot.pressOn(
      'form-1',
      facilitator,
      VERBS.groupSave,
      { ...form, groupId: '', name: 'Matematik åk 4–6', subject: 'Matematik', grades: '4–6', members: members.map((m) => m.aadObjectId).join(',') },
      'channel',
    );
    expect(saved).toContain('Matematik åk 4–6');
    expect(saved).toContain('Medlemmar (6)');
    // The form became the group's card for everyone in the channel.
    await connector.waitFor((c) => c.method === 'PUT' && c.conversationId === TEAM.id && c.path.endsWith('/activities/form-1'), 10_000);
    const [group] = await stores.learningGroups.groupsInConversation(TENANT_ID, TEAM.id);
    expect(group).toBeDefined();

    // Nothing is posted before its time; just after the first meeting's start minus 24 hours the scheduler posts the before check-in.
    expect(channelCalls('POST').filter((c) => text(c).includes(' av 6 har svarat'))).toHaveLength(0);
    // The first meeting is in September, on summer time: 15:30 in Stockholm is 13:30 UTC.
    expect(dates[0]! < '2026-10-25').toBe(true);
    const meetingStart = new Date(Date.parse(`${dates[0]}T15:30:00+02:00`));
    setClock(new Date(meetingStart.getTime() - 24 * HOUR + 1_000));
    const posted = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('0 av 6 har svarat'), 15_000);
    expect(text(posted)).toContain('Matematik åk 4–6: före träffen');
    const checkInId = /"checkInId":"([^"]+)"/.exec(text(posted))?.[1] ?? '';
    expect(checkInId).toContain('~before');
    // The bot records the card's id once the connector has answered.
    const stored = await eventually(async () => {
      const checkIn = (await stores.learningGroups.getCheckIn(TENANT_ID, checkInId))?.value;
      return checkIn?.activityId ? checkIn : undefined;
    });
    expect(stored.activityId).toBe(CHECK_IN_ACTIVITY);
    expect(stored.closesAt).toBe(meetingStart.toISOString());

    // Five answer in the channel, each through the card (Action.Execute).
    for (const member of early) {
      const answered = await bot.pressOn(
        CHECK_IN_ACTIVITY,
        member,
        VERBS.checkInAnswer,
        { checkInId, tried: `${member.name} prövade exit tickets`, happened: 'Eleverna förklarade mer', evidence: '', ask: '' },
        'channel',
      );
      expect(answered).toContain('Tack! Ditt svar är sparat.');
    }
    await connector.waitFor((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${CHECK_IN_ACTIVITY}`) && text(c).includes('5 av 6 har svarat'), 10_000);
    expect(connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations')).toHaveLength(0);

    // The reminder is due halfway through the open time (later than closing minus reminderLeadHours here).
    const reminderJob = (await stores.schedule.get(`checkin-remind|${checkInId}`))!.job;
    const postedAt = Date.parse(stored.postedAt);
    expect(reminderJob.dueAt).toBe(new Date(Math.max(meetingStart.getTime() - 24 * HOUR, postedAt + (meetingStart.getTime() - postedAt) / 2)).toISOString());
    setClock(new Date(Date.parse(reminderJob.dueAt) + 1_000));

    // The sixth gets one reminder with the card, in a 1:1 chat the bot creates.
    const created = await connector.waitFor((c) => c.method === 'POST' && c.path === '/v3/conversations' && text(c).includes(late.id), 15_000);
    const reminder = await connector.waitFor(
      (c) => c.method === 'POST' && c.at >= created.at && c.conversationId === `a:personal-${late.id}` && text(c).includes('Påminnelse: Matematik'),
      15_000,
    );
    expect(text(reminder)).toContain('Matematik åk 4–6 väntar på ditt svar');
    expect(text(reminder)).toContain(VERBS.checkInAnswer);
    // …and answers there.
    const answeredInPrivate = await bot.pressOn(
      'reminder-1',
      late,
      VERBS.checkInAnswer,
      { checkInId, tried: 'Hanna prövade gruppsamtal', happened: 'Fler elever deltog', evidence: '', ask: '' },
      'personal',
    );
    expect(answeredInPrivate).toContain('Tack! Ditt svar är sparat.');
    await connector.waitFor((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${CHECK_IN_ACTIVITY}`) && text(c).includes('6 av 6 har svarat'), 10_000);
    const answers = await stores.learningGroups.answers(TENANT_ID, checkInId);
    expect(answers).toHaveLength(6);
    expect(answers.find((a) => a.aadObjectId === late.aadObjectId)?.via).toBe('personal');

    // Two hours before the meeting (the organisation's beforeSummaryLeadHours, 2 by default), while the check-in is
    // still open, the facilitator gets the summary in 1:1, in time to prepare.
    expect((await stores.schedule.get(`checkin-before-summary|${checkInId}`))!.job.dueAt).toBe(new Date(meetingStart.getTime() - 2 * HOUR).toISOString());
    setClock(new Date(meetingStart.getTime() - 2 * HOUR + 1_000));
    const facilitatorChat = await connector.waitFor((c) => c.method === 'POST' && c.path === '/v3/conversations' && text(c).includes(facilitator.id), 15_000);
    const summary = await connector.waitFor(
      (c) => c.method === 'POST' && c.at >= facilitatorChat.at && text(c).includes('Sammanfattning: Matematik åk 4–6'),
      15_000,
    );
    expect(summary.conversationId).toBe(`a:personal-${facilitator.id}`);
    expect(summary.conversationId).not.toBe(reminder.conversationId);
    expect(text(summary)).toContain('6 av 6 svarade');
    expect(text(summary)).toContain('Incheckningen är öppen till');
    expect(checkInUpdates().filter((c) => text(c).includes('Incheckningen är stängd.'))).toHaveLength(0);

    // One member changes her answer after the summary…
    const changed = await bot.pressOn(
      CHECK_IN_ACTIVITY,
      early[1]!,
      VERBS.checkInAnswer,
      { checkInId, tried: 'Anna prövade lärpar i stället', happened: 'Eleverna förklarade mer', evidence: '', ask: '' },
      'channel',
    );
    expect(changed).toContain('Tack! Ditt svar är sparat.');

    // …and past the meeting's start the check-in closes: the card says so, and the facilitator gets what changed since.
    setClock(new Date(meetingStart.getTime() + 1_000));
    const closed = await connector.waitFor(
      (c) => c.method === 'PUT' && c.path.endsWith(`/activities/${CHECK_IN_ACTIVITY}`) && text(c).includes('Incheckningen är stängd.'),
      15_000,
    );
    expect(text(closed)).toContain('6 av 6 har svarat');
    const update = await connector.waitFor(
      (c) => c.method === 'POST' && c.at >= closed.at && text(c).includes('Svar som kommit eller ändrats sedan förra sammanfattningen'),
      15_000,
    );
    expect(update.conversationId).toBe(summary.conversationId);
    expect(text(update)).toContain('Anna prövade lärpar i stället');
    expect(connector.calls.filter((c) => c.method === 'POST' && text(c).includes('Sammanfattning: Matematik åk 4–6'))).toHaveLength(2);

    // One reminder in all (only the one who had not answered); every update of the card went to the same activity.
    expect(connector.calls.filter((c) => c.method === 'POST' && text(c).includes('väntar på ditt svar'))).toHaveLength(1);
    expect(connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations')).toHaveLength(2);
    expect(channelCalls('POST').filter((c) => text(c).includes(' av 6 har svarat'))).toHaveLength(1);
    expect(checkInUpdates().at(-1)!.body).toMatchObject({ id: CHECK_IN_ACTIVITY });
    expect(text(checkInUpdates().at(-1))).toContain('6 av 6 har svarat');
  }, 90_000);
});
