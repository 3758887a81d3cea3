import { VERBS } from '../../src/cards/verbs';
import { person, type Person, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { cardInCall, elementsOf } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';
import { eventually } from '../helpers/eventually';
import { botPerDescribe, drivenClock, text } from '../helpers/frontDoor';
import { START_FORM_VALUES } from '../helpers/goalDialogue';
import { rosterRule } from '../helpers/roster';

/**
 * Puffar through the front door: Teams-shaped activities POSTed to
 * /api/messages, the bot's calls answered by a local Bot Connector, rows in
 * the test Azurite, the scheduler and the outbox running as in production on
 * a clock the test moves (it runs on with real time from where it is set).
 */

const teachers = ['Anna Lindqvist', 'Erik Johansson', 'Fatima Hassan'].map((name, i) => person(name, i + 71));
const SECOND = 1_000;

/** The bot of the calling describe block on a clock the test sets (from `startAt`); the scheduler polls every second. */
function drivenBot(startAt: string) {
  const { now, setClock } = drivenClock(startAt);
  return { setClock, bot: botPerDescribe({ env: { SCHEDULER_POLL_MS: '1000' }, now, rules: [rosterRule(TEAM.id, [PRINCIPAL, ...teachers])] }) };
}

/** The form's id, from the Spara button of a nudge form the bot sent. */
function formIdIn(call: ConnectorCall): string {
  const [save] = elementsOf(cardInCall(call), (e) => e.type === 'Action.Execute');
  return String((save?.data as { formId?: string } | undefined)?.formId);
}

describe('puffar in the staff channel, end to end through /api/messages', () => {
  // Friday 9 October 2026, 10:00 in Stockholm.
  const { bot, setClock } = drivenBot('2026-10-09T08:00:00Z');
  const NUDGE_TEXT = 'Läs högt för eleverna i fem minuter och be dem återberätta för en kamrat.';
  const puffPosts = () =>
    bot.connector.calls.filter(
      (c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes(NUDGE_TEXT) && !text(c).includes(VERBS.nudgeStop),
    );

  async function askForm(from: Person): Promise<ConnectorCall> {
    const { connector } = bot;
    const before = connector.calls.length;
    await bot.inChannel(TEAM, from, 'ny puff');
    return connector.waitFor((c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && c.conversationId === TEAM.id, 10_000);
  }

  const submit = (from: Person, data: Record<string, unknown>) => bot.pressOn('nudge-form-1', from, VERBS.nudgeCreate, data, 'channel');

  const press = (from: Person, verb: string, nudgeId: string) => bot.pressOn('nudge-list-1', from, verb, { nudgeId }, 'channel');

  test('when a teacher asks for a nudge in the staff team, or submits one anyway, then she is told who may and nothing is stored', async () => {
    const { stores } = bot;
    const reply = await askForm(teachers[0]!);
    expect(text(reply)).toContain('Puffar här gör rektor');
    const crafted = await submit(teachers[0]!, {
      formId: '20261009-aaaaaaaaaa',
      text: 'Till hela personalen',
      link: '',
      tie: 'focus|exempelskolan',
      audience: 'here',
      repeat: 'once',
      date: '2026-10-12',
      time: '08:00',
    });
    expect(crafted).toContain('Puffar här gör rektor');
    expect(await stores.nudges.list(TENANT_ID)).toHaveLength(0);
  });

  test('when the principal submits a bad link or an empty text then the form comes back with a clear Swedish message and nothing is stored', async () => {
    const { stores } = bot;
    const form = await askForm(PRINCIPAL);
    expect(text(form)).toContain('Ny puff');
    expect(text(form)).toContain('Fokusområde: Språk- och kunskapsutvecklande arbetssätt (SKUA)');
    expect(text(form)).toContain('Kanalen här (Exempelskolan)');
    const formId = formIdIn(form);
    const base = { formId, tie: 'focus|exempelskolan', audience: 'here', repeat: 'once', date: '2026-10-12', time: '08:00' };
    const badLink = await submit(PRINCIPAL, { ...base, text: NUDGE_TEXT, link: 'http://exempelkommun.example/las' });
    expect(badLink).toContain('Puffen är inte sparad');
    expect(badLink).toContain('Länken måste börja med https://');
    const notALink = await submit(PRINCIPAL, { ...base, text: NUDGE_TEXT, link: 'läs mer här' });
    expect(notALink).toContain('Det där ser inte ut som en webbadress');
    const empty = await submit(PRINCIPAL, { ...base, text: '   ', link: '' });
    expect(empty).toContain('Skriv puffens text.');
    const evening = await submit(PRINCIPAL, { ...base, text: NUDGE_TEXT, time: '19:30' });
    expect(evening).toContain('Puffar skickas inte mellan 18:00 och 07:00');
    expect(await stores.nudges.list(TENANT_ID)).toHaveLength(0);
  });

  test('when the principal plans a nudge every other week from a Saturday then it is posted on the Mondays, skips höstlov, pauses, resumes and after Stoppa sends nothing more, even for a run already due', async () => {
    const { connector, stores } = bot;
    const form = await askForm(PRINCIPAL);
    const data = {
      formId: formIdIn(form),
      text: NUDGE_TEXT,
      link: 'https://www.skolverket.se/las-och-skriv',
      tie: 'focus|exempelskolan',
      audience: 'here',
      repeat: 'series',
      // A Saturday: the series begins on the first school day after it, Monday 12 October.
      date: '2026-10-10',
      to: '2026-11-30',
      everyWeeks: '2',
      time: '08:00',
    };
    const saved = await submit(PRINCIPAL, data);
    expect(saved).toContain('Puffen är sparad. Den skickas första gången måndag 12 oktober kl. 08:00.');
    expect(saved).toContain('Varannan vecka');
    // Pressed twice: one nudge.
    await submit(PRINCIPAL, data);
    const [nudge] = await stores.nudges.list(TENANT_ID);
    expect(await stores.nudges.list(TENANT_ID)).toHaveLength(1);
    expect(nudge!.next).toEqual({ date: '2026-10-12', at: '2026-10-12T06:00:00.000Z' });
    expect(puffPosts()).toHaveLength(0);

    // Monday 12 October, 08:00 (summer time): the first nudge, with its link and what it is tied to.
    setClock('2026-10-12T06:00:01Z');
    const first = await connector.waitFor((c) => puffPosts().includes(c), 15_000);
    expect(text(first)).toContain('Fokusområde: Språk- och kunskapsutvecklande arbetssätt (SKUA)');
    expect(text(first)).toContain('Från Rut Rektorsson');
    const [link] = elementsOf(cardInCall(first), (e) => e.type === 'Action.OpenUrl');
    expect(link).toMatchObject({ title: 'Öppna länken', url: 'https://www.skolverket.se/las-och-skriv' });
    // Two weeks on is höstlov (26–30 October): the next is Monday 9 November, 08:00 winter time.
    const afterFirst = await eventually(async () => {
      const stored = (await stores.nudges.get(TENANT_ID, nudge!.id))!.value;
      return stored.next?.date === '2026-11-09' ? stored : undefined;
    });
    expect(afterFirst).toMatchObject({ sentCount: 1, lastSentDate: '2026-10-12', next: { at: '2026-11-09T07:00:00.000Z' } });
    expect(await stores.schedule.get(`nudge-send|${nudge!.id}|2026-10-26`)).toBeUndefined();
    setClock('2026-10-26T07:00:01Z');
    await new Promise((resolve) => setTimeout(resolve, 3 * SECOND));
    expect(puffPosts()).toHaveLength(1);

    setClock('2026-11-09T07:00:01Z');
    await eventually(async () => (puffPosts().length === 2 ? true : undefined), 15_000);

    // `puffar` lists it with its next date; Pausa, then Återuppta.
    const before = connector.calls.length;
    await bot.inChannel(TEAM, teachers[1]!, 'puffar');
    const list = await connector.waitFor((c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && c.conversationId === TEAM.id, 10_000);
    expect(text(list)).toContain('Nästa: måndag 23 november kl. 08:00');
    expect(text(list)).toContain('Skickad 2 gånger');
    const paused = await press(PRINCIPAL, VERBS.nudgePause, nudge!.id);
    expect(paused).toContain('Puffen är pausad.');
    expect((await stores.schedule.get(`nudge-send|${nudge!.id}|2026-11-23`))?.job.status).toBe('cancelled');
    const resumed = await press(PRINCIPAL, VERBS.nudgeResume, nudge!.id);
    expect(resumed).toContain('Puffen är igång igen. Nästa gång: måndag 23 november kl. 08:00.');
    expect((await stores.schedule.get(`nudge-send|${nudge!.id}|2026-11-23`))?.job.status).toBe('pending');

    // A teacher cannot stop the principal's nudge; the principal can.
    const refused = await press(teachers[0]!, VERBS.nudgeStop, nudge!.id);
    expect(refused).toContain('Bara den som gjorde puffen');
    expect((await stores.nudges.get(TENANT_ID, nudge!.id))!.value.status).toBe('active');
    const stopped = await press(PRINCIPAL, VERBS.nudgeStop, nudge!.id);
    expect(stopped).toContain('Puffen är stoppad. Inget mer skickas.');
    expect((await stores.nudges.get(TENANT_ID, nudge!.id))!.value.status).toBe('stopped');

    // A run already due (planned by another instance before the stop reached it) sends nothing.
    const at = '2026-11-23T07:00:00.000Z';
    await stores.schedule.create({
      id: `nudge-send|${nudge!.id}|2026-11-23|due`,
      kind: 'nudge-send',
      dueAt: at,
      wakeAt: at,
      payload: JSON.stringify({ tenantId: TENANT_ID, nudgeId: nudge!.id, date: '2026-11-23' }),
      status: 'pending',
      attempts: 0,
      createdAt: at,
      updatedAt: at,
    });
    setClock('2026-11-23T07:00:01Z');
    await eventually(async () => ((await stores.schedule.get(`nudge-send|${nudge!.id}|2026-11-23|due`))?.job.status === 'done' ? true : undefined), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 2 * SECOND));
    expect(puffPosts()).toHaveLength(2);
    expect(await stores.outbox.getJob(`nudge|${nudge!.id}|2026-11-23`)).toBeUndefined();
  }, 90_000);
});

describe('a once-nudge to a målsamtal’s participants, end to end through /api/messages', () => {
  // Tuesday 1 September 2026, 08:00 in Stockholm.
  const { bot, setClock } = drivenBot('2026-09-01T06:00:00Z');

  test('when the principal sends a once-nudge to her målsamtal then each teacher gets it in 1:1 through the outbox, in the frame of their own language with the text as written', async () => {
    const { connector, stores } = bot;
    await bot.pressOn('form-1', PRINCIPAL, VERBS.dialogueStart, START_FORM_VALUES, 'channel');
    // The three invitations go out, each in a 1:1 chat the bot creates.
    await eventually(
      async () => (connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations').length === 3 ? true : undefined),
      15_000,
    );
    const [dialogue] = await stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan');
    // One teacher reads Målbild in English.
    await bot.say(teachers[2]!, 'språk engelska');

    // The principal asks for the form in her 1:1 chat: the dialogue's participants are offered.
    const before = connector.calls.length;
    await bot.say(PRINCIPAL, 'ny puff');
    const form = await connector.waitFor((c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && text(c).includes('Ny puff'), 10_000);
    expect(text(form)).toContain('Deltagarna i Målsamtal HT 2026, var och en i sin chatt');
    const words = 'Inför vårt samtal: titta på en lektion där eleverna lyckades och skriv ner vad du gjorde.';
    const saved = await bot.press(PRINCIPAL, VERBS.nudgeCreate, {
      formId: formIdIn(form),
      text: words,
      link: '',
      tie: 'goal|exempelskolan|studiero',
      audience: `dialogue|${dialogue!.dialogueId}`,
      repeat: 'once',
      date: '2026-09-01',
      time: '10:00',
    });
    expect(saved).toContain('Puffen är sparad. Den skickas första gången tisdag 1 september kl. 10:00.');
    expect(saved).toContain('Dina puffar');

    setClock('2026-09-01T08:00:01Z');
    const teacherChats = new Set(teachers.map((t) => `a:personal-${t.id}`));
    const nudges = await eventually(async () => {
      const sent = connector.calls.filter((c) => c.method === 'POST' && teacherChats.has(c.conversationId ?? '') && text(c).includes(words.slice(0, 40)));
      return sent.length === 3 ? sent : undefined;
    }, 15_000);
    expect(new Set(nudges.map((c) => c.conversationId))).toEqual(teacherChats);
    expect(nudges.filter((c) => text(c).includes('Från Rut Rektorsson') && text(c).includes('Skolans mål: Alla elever upplever studiero'))).toHaveLength(2);
    expect(nudges.filter((c) => text(c).includes('From Rut Rektorsson') && text(c).includes('School goal: Alla elever upplever studiero'))).toHaveLength(1);
    // No new chats: the invitations' 1:1 chats are used. One outbox row per teacher.
    expect(connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations')).toHaveLength(3);
    const [nudge] = await stores.nudges.list(TENANT_ID);
    const counts = await stores.outbox.countStatuses(`nudge|${nudge!.id}|2026-09-01`);
    expect(counts).toMatchObject({ total: 3, sent: 3 });
    expect(nudge).toMatchObject({ status: 'finished', sentCount: 1 });
    // Nothing went to the channel.
    expect(connector.calls.filter((c) => c.conversationId === TEAM.id && text(c).includes(words.slice(0, 40)))).toHaveLength(0);
  }, 90_000);
});
