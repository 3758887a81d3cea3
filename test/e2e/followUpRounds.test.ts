import { z } from 'zod';
import { VERBS } from '../../src/cards/verbs';
import { createLogger } from '../../src/logger';
import { Scheduler } from '../../src/scheduler';
import { person, type Person, PRINCIPAL, TEAM, type TeamRef, TENANT_ID } from '../helpers/activities';
import { cardInCall, inputsOf } from '../helpers/cards';
import { eventually } from '../helpers/eventually';
import { botPerDescribe, drivenClock, text } from '../helpers/frontDoor';
import { dialogueWithGoals } from '../helpers/goalDialogue';
import { NILS, NORR_TEAM, VERA } from '../helpers/people';
import { rosterRule } from '../helpers/roster';

/**
 * The owner's follow-up rounds through the front door, on a clock the test
 * moves: a round planned for later is cancelled from `uppföljningar` (not
 * by a teacher or another school's principal; a double click cancels once)
 * and nothing is sent when its first day comes, not even by an opening job
 * that was due all the same; a running round is closed now (once), after
 * which its reminders and its last day's closing send nothing; and the
 * manager's `analys` shows both schools' written analyses side by side, in
 * her 1:1 chat only.
 */

const teachers = ['Anna Lind', 'Bo Ek'].map((name, i) => person(name, 71 + i));
const norr = ['Fia Norr'].map((name, i) => person(name, 81 + i));
const [anna, bo] = teachers as [Person, Person];

const EXEMPEL_SHOWS = 'Exempelskolans lärare ser lugnare starter i nästan alla klasser';
const NORR_SHOWS = 'Norrskolans rastvärdar rapporterar färre konflikter på skolgården';

describe('the owner cancels and closes follow-up rounds, the manager reads the schools’ analyses, through /api/messages', () => {
  // Tuesday 1 September 2026, 08:00 in Stockholm.
  const { now, setClock } = drivenClock('2026-09-01T06:00:00Z');
  const bot = botPerDescribe({
    env: { SCHEDULER_POLL_MS: '1000' },
    now,
    rules: [rosterRule(TEAM.id, [PRINCIPAL, ...teachers]), rosterRule(NORR_TEAM.id, [NILS, ...norr])],
  });
  const { say, inChannel, press } = bot;

  const personalText = (who: Person) =>
    bot.connector.calls
      .filter((c) => c.conversationId === `a:personal-${who.id}`)
      .map(text)
      .join('\n');
  const channelText = () =>
    bot.connector.calls
      .filter((c) => (c.conversationId === TEAM.id || c.conversationId === NORR_TEAM.id) && c.method !== 'GET')
      .map(text)
      .join('\n');
  const goalCardsOf = (title: string) =>
    bot.connector.calls.filter((c) => c.method === 'POST' && text(c).includes(title) && text(c).includes('Hur långt har du kommit?'));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** The owner fills in the start form in her 1:1 chat (or the channel) and submits it; the round's id. */
  async function startRound(owner: Person, schoolId: string, values: Record<string, string>, team?: TeamRef): Promise<string> {
    const before = new Set((await bot.stores.followUps.roundsOfUnit(TENANT_ID, schoolId)).map((r) => r.roundId));
    const formCount = bot.connector.calls.filter((c) => text(c).includes('Starta uppföljningen')).length;
    if (team) await inChannel(team, owner, 'starta uppföljning');
    else expect(await say(owner, 'starta uppföljning')).toBe('');
    const form = await eventually(() => bot.connector.calls.filter((c) => text(c).includes('Starta uppföljningen'))[formCount]);
    const formId = /"formId":"([^"]+)"/.exec(text(form))![1]!;
    await press(owner, VERBS.followUpStart, { ...inputsOf(cardInCall(form)), formId, reminders: 'true', ...values }, team ? 'channel' : 'personal', team);
    return eventually(async () => (await bot.stores.followUps.roundsOfUnit(TENANT_ID, schoolId)).find((r) => !before.has(r.roundId))?.roundId);
  }

  const roundsList = async (who: Person) => {
    const count = bot.connector.calls.filter((c) => c.conversationId === `a:personal-${who.id}` && text(c).includes('Dina uppföljningar')).length;
    expect(await say(who, 'uppföljningar')).toBe('');
    return text(
      await eventually(() => bot.connector.calls.filter((c) => c.conversationId === `a:personal-${who.id}` && text(c).includes('Dina uppföljningar'))[count]),
    );
  };

  test('when a planned round is cancelled and a running one closed now then nothing more is sent, and the manager sees both schools’ analyses', async () => {
    await dialogueWithGoals(bot, TEAM, PRINCIPAL, teachers, { schoolId: 'exempelskolan', deadline: '2026-09-30' });
    await dialogueWithGoals(bot, NORR_TEAM, NILS, norr, { schoolId: 'norrskolan', goalIds: 'trygga-raster', deadline: '2026-09-30' });

    // --- Wednesday 3 February 2027: two rounds planned ahead ---
    setClock('2027-02-03T08:00:00Z');
    const planned = await startRound(PRINCIPAL, 'exempelskolan', { title: 'Uppföljning mars', startsOn: '2027-03-01', lastDay: '2027-03-12' });
    const crashed = await startRound(PRINCIPAL, 'exempelskolan', { title: 'Uppföljning april', startsOn: '2027-04-05', lastDay: '2027-04-16' });
    const list = await roundsList(PRINCIPAL);
    expect(list).toContain('Planerad: startar 1 mars 2027, sista dag 12 mars 2027');
    expect(list).toContain('Ställ in');
    expect(list).toContain(VERBS.followUpCancel);

    // Only the owner cancels: a teacher and another school's principal are refused, and nothing changes.
    expect(await press(anna, VERBS.followUpCancel, { roundId: planned })).toContain('Bara den som håller målsamtalet');
    expect(await press(NILS, VERBS.followUpCancel, { roundId: planned })).toContain('Bara den som håller målsamtalet');
    expect(await press(anna, VERBS.followUpCloseNow, { roundId: planned })).toContain('Bara den som håller målsamtalet');
    // A button without its round, or naming one that does not exist, is answered and changes nothing.
    expect(await press(PRINCIPAL, VERBS.followUpCancel, {})).toContain('Det där kunde jag inte ta emot');
    expect(await press(PRINCIPAL, VERBS.followUpCancel, { roundId: "x' or PartitionKey ne '" })).toContain('Det du letar efter finns inte');
    expect(await press(PRINCIPAL, VERBS.followUpCloseNow, { roundId: 'no-such-round' })).toContain('Det du letar efter finns inte');
    expect(await say(anna, 'uppföljningar')).toBe('');
    await bot.connector.waitFor((c) => c.conversationId === `a:personal-${anna.id}` && text(c).includes('Bara den som håller målsamtalet'));
    expect((await bot.stores.followUps.getRound(TENANT_ID, planned))!.value.status).toBe('planned');
    expect((await bot.stores.schedule.get(`followup-open|${planned}`))!.job.status).toBe('pending');

    // A double click cancels once: one answer says cancelled, the other that it was already.
    const answers = await Promise.all([
      press(PRINCIPAL, VERBS.followUpCancel, { roundId: planned }),
      press(PRINCIPAL, VERBS.followUpCancel, { roundId: planned }),
    ]);
    expect(answers.filter((a) => a.includes('Uppföljning mars** är inställd'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('Uppföljningen var redan inställd.'))).toHaveLength(1);
    expect(answers.join('\n')).toContain('Inställd 3 februari 2027');
    const cancelled = (await bot.stores.followUps.getRound(TENANT_ID, planned))!.value;
    expect(cancelled).toMatchObject({ status: 'cancelled', participants: [] });
    expect(cancelled.cancelledAt).toBeDefined();
    expect((await bot.stores.followUps.roundsOfUnit(TENANT_ID, 'exempelskolan')).find((r) => r.roundId === planned)!.status).toBe('cancelled');
    expect((await bot.stores.schedule.get(`followup-open|${planned}`))!.job.status).toBe('cancelled');

    // The April round is cancelled too, and then its opening is due all the same (as if the withdrawal had been lost): the job finds it cancelled.
    expect(await press(PRINCIPAL, VERBS.followUpCancel, { roundId: crashed })).toContain('är inställd');
    const side = new Scheduler({
      repository: bot.stores.schedule,
      instanceId: 'test|side',
      now,
      logger: createLogger('silent'),
      handlers: [{ kind: 'followup-open', payload: z.object({ tenantId: z.string(), roundId: z.string() }), run: () => Promise.resolve() }],
    });
    await side.schedule({ id: `followup-open|${crashed}`, kind: 'followup-open', dueAt: now(), payload: { tenantId: TENANT_ID, roundId: crashed } });
    await eventually(async () => (await bot.stores.schedule.get(`followup-open|${crashed}`))!.job.status === 'done', 15_000);
    expect((await bot.stores.followUps.getRound(TENANT_ID, crashed))!.value.status).toBe('cancelled');

    // --- Tuesday 16 February: a round that runs, with reminders planned; closed now by its owner ---
    setClock('2027-02-16T08:00:00Z');
    const runningRound = await startRound(PRINCIPAL, 'exempelskolan', { title: 'Uppföljning februari', startsOn: '', lastDay: '2027-03-05' });
    await eventually(() => goalCardsOf('Uppföljning februari').length === 2, 15_000);
    await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('0 av 2 har följt upp sina mål'), 15_000);
    expect(await bot.stores.schedule.get(`followup-reminder|${runningRound}|7d`)).toBeDefined();
    expect(await bot.stores.schedule.get(`followup-reminder|${runningRound}|2d`)).toBeDefined();
    expect(await press(PRINCIPAL, VERBS.followUpCancel, { roundId: runningRound })).toContain('har redan startat och kan inte ställas in');
    expect(await roundsList(PRINCIPAL)).toContain('Pågår: 0 av 2 klara, sista dag 5 mars 2027');

    expect(await press(bo, VERBS.followUpCloseNow, { roundId: runningRound })).toContain('Bara den som håller målsamtalet');
    expect((await bot.stores.followUps.getRound(TENANT_ID, runningRound))!.value.status).toBe('open');
    const closes = await Promise.all([
      press(PRINCIPAL, VERBS.followUpCloseNow, { roundId: runningRound }),
      press(PRINCIPAL, VERBS.followUpCloseNow, { roundId: runningRound }),
    ]);
    expect(closes.filter((c) => c.includes('Uppföljning februari** är stängd'))).toHaveLength(1);
    expect(closes.filter((c) => c.includes('Uppföljningen var redan stängd.'))).toHaveLength(1);
    expect((await bot.stores.followUps.getRound(TENANT_ID, runningRound))!.value.status).toBe('closed');
    await bot.connector.waitFor((c) => c.method === 'PUT' && c.conversationId === TEAM.id && text(c).includes('Uppföljningen är avslutad.'), 15_000);
    await eventually(() => bot.connector.calls.filter((c) => c.method === 'POST' && text(c).includes('Analys: Uppföljning februari')).length === 1, 15_000);
    expect(await press(anna, VERBS.followUpConfirm, { roundId: runningRound, goal: '1', progress: '3', worked: 'x', next: 'y' })).toContain(
      'Uppföljningen är avslutad.',
    );

    // --- The planned days pass: the cancelled rounds never open; the closed round sends no reminder and no second analysis ---
    for (const moment of ['2027-03-01T07:00:01Z', '2027-03-03T07:00:01Z', '2027-03-08T06:00:01Z']) {
      setClock(moment);
      await pause(2500);
    }
    expect(goalCardsOf('Uppföljning mars')).toHaveLength(0);
    expect(goalCardsOf('Uppföljning april')).toHaveLength(0);
    expect(channelText()).not.toContain('Uppföljning mars');
    expect(channelText()).not.toContain('Uppföljning april');
    // The reminders and the closing ran (they were due) and found the round closed.
    for (const job of [`followup-reminder|${runningRound}|7d`, `followup-reminder|${runningRound}|2d`, `followup-close|${runningRound}`])
      expect((await bot.stores.schedule.get(job))!.job.status).toBe('done');
    expect(bot.connector.calls.filter((c) => text(c).includes('Påminnelse'))).toHaveLength(0);
    expect(bot.connector.calls.filter((c) => c.method === 'POST' && text(c).includes('Analys: Uppföljning februari'))).toHaveLength(1);
    for (const id of [planned, crashed])
      expect((await bot.stores.followUps.getRound(TENANT_ID, id))!.value).toMatchObject({ status: 'cancelled', participants: [] });

    // --- The schools' written analyses, side by side for the manager ---
    setClock('2027-04-06T08:00:00Z');
    const norrRound = await startRound(NILS, 'norrskolan', { startsOn: '', lastDay: '2027-04-16' }, NORR_TEAM);
    await eventually(async () => (await bot.stores.followUps.getRound(TENANT_ID, norrRound))?.value.status === 'open', 15_000);
    const write = (owner: Person, roundId: string, goalId: string, shows: string) =>
      press(owner, VERBS.schoolAnalysisSave, { roundId, goalId, version: '0', shows, why: 'Vi har arbetat med det hela terminen', actions: 'Vi fortsätter' });
    expect(await write(PRINCIPAL, runningRound, 'studiero', EXEMPEL_SHOWS)).toContain('(version 1)');
    expect(await write(NILS, norrRound, 'trygga-raster', NORR_SHOWS)).toContain('(version 1)');

    expect(await say(VERA, 'analys')).toBe('');
    const sideBySide = text(
      await bot.connector.waitFor((c) => c.conversationId === `a:personal-${VERA.id}` && text(c).includes('Skolornas analyser 2026-27'), 15_000),
    );
    expect(sideBySide).toMatch(
      /Mål: En skola där alla kan och vill vara.*Exempelskolan.*Exempelskolans lärare ser lugnare.*Norrskolan.*Norrskolans rastvärdar/,
    );
    expect(personalText(VERA)).toContain('Uppföljning i alla skolor');
    // The same page on request; not in a channel, not for a principal.
    expect(await press(VERA, VERBS.followUpRollupPage, { page: '1' })).toContain(NORR_SHOWS);
    const inTeam = await press(VERA, VERBS.followUpRollupPage, { page: '1' }, 'channel', TEAM);
    expect(inTeam).toContain('visas bara i din enskilda chatt');
    expect(inTeam).not.toContain(NORR_SHOWS);
    expect(await press(PRINCIPAL, VERBS.followUpRollupPage, { page: '1' })).not.toContain(NORR_SHOWS);

    // Privacy: no written analysis reached a channel.
    expect(channelText()).not.toContain(EXEMPEL_SHOWS);
    expect(channelText()).not.toContain(NORR_SHOWS);
  }, 180_000);
});
