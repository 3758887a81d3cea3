import { VERBS } from '../../src/cards/verbs';
import { person, type Person, PRINCIPAL, TEAM, TENANT_ID } from '../helpers/activities';
import { cardInCall, inputsOf } from '../helpers/cards';
import { eventually } from '../helpers/eventually';
import { botPerDescribe, drivenClock, text } from '../helpers/frontDoor';
import { dialogueWithGoals } from '../helpers/goalDialogue';
import { NILS, NORR_TEAM, VERA } from '../helpers/people';
import { rosterRule } from '../helpers/roster';

/**
 * Uppföljning through the front door on the demo organisation, with the
 * scheduler and the outbox running on a clock the test moves: målsamtal in
 * September; a learning group's reflection naming a goal; a round in
 * February for five teachers, answered by four, one reminder (moved off the
 * Sunday to Monday 07:00), closed after its last day with the analysis to
 * the principal; a round planned ahead for May that starts by itself and
 * shows the change; Norrskolan's round and the manager's rollup over both
 * schools; authorization and privacy at each entry.
 */

const teachers = ['Anna Lind', 'Bo Ek', 'Cecilia Ask', 'David Gran', 'Eva Alm'].map((name, i) => person(name, 71 + i));
const norr = ['Fia Norr', 'Gun Norr'].map((name, i) => person(name, 81 + i));
const [anna, bo, cecilia, david, eva] = teachers as [Person, Person, Person, Person, Person];
/** Which of the dialogue's goals (1 studiero, 2 läs och skriv) each teacher's goal serves. */
const GOAL_CHOICE = new Map([...teachers.map((t, i) => [t.id, i < 3 ? '1' : '2'] as const), ...norr.map((t) => [t.id, '1'] as const)]);

const WORKED = (who: Person) => `${who.name} har haft lugna starter med tydliga mål på tavlan`;
const NEXT = (who: Person) => `${who.name} fortsätter med exit tickets varje vecka`;

describe('uppföljning end to end through /api/messages', () => {
  // Tuesday 1 September 2026, 08:00 in Stockholm.
  const { now, setClock } = drivenClock('2026-09-01T06:00:00Z');
  const bot = botPerDescribe({
    env: { SCHEDULER_POLL_MS: '1000' },
    now,
    rules: [rosterRule(TEAM.id, [PRINCIPAL, ...teachers]), rosterRule(NORR_TEAM.id, [NILS, ...norr])],
  });
  const { say, inChannel, press } = bot;

  const channelText = () =>
    bot.connector.calls
      .filter((c) => (c.conversationId === TEAM.id || c.conversationId === NORR_TEAM.id) && c.method !== 'GET')
      .map(text)
      .join('\n');

  const answer = (teacher: Person, roundId: string, progress: number, extra: Record<string, string> = {}, verb: string = VERBS.followUpConfirm) =>
    press(teacher, verb, {
      roundId,
      goal: '1',
      progress: String(progress),
      worked: WORKED(teacher),
      evidence: '',
      evidenceValue: '',
      evidenceUnit: '',
      next: NEXT(teacher),
      support: '',
      ...extra,
    });

  test('when rounds are started, answered, reminded and closed then the owner gets the analysis, the second round shows the change and the manager sees both schools', async () => {
    // --- September: the målsamtal of both schools, and one learning-group reflection naming Anna's goal ---
    const choice = (teacher: Person) => GOAL_CHOICE.get(teacher.id)!;
    const dialogueId = await dialogueWithGoals(bot, TEAM, PRINCIPAL, teachers, { schoolId: 'exempelskolan', deadline: '2026-09-30' }, choice);
    await dialogueWithGoals(bot, NORR_TEAM, NILS, norr, { schoolId: 'norrskolan', goalIds: 'trygga-raster', deadline: '2026-09-30' }, choice);

    await inChannel(TEAM, anna, 'ny lärgrupp');
    const groupForm = inputsOf(
      cardInCall(await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Ny lärgrupp'), 10_000)),
    );
    await press(
      anna,
      VERBS.groupSave,
      { ...groupForm, groupId: '', name: 'Trygghet åk 4–6', members: [anna, bo].map((p) => p.aadObjectId).join(',') },
      'channel',
    );
    const firstMeeting = Object.keys(groupForm)
      .filter((key) => /^date\d+$/.test(key))
      .map((key) => groupForm[key]!)
      .sort()[0]!;
    // Just after the first meeting ends (17:00, summer time), the after check-in is posted.
    setClock(`${firstMeeting}T15:00:02Z`);
    const afterPost = await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && /~after/.test(text(c)), 15_000);
    const checkInId = /"checkInId":"([^"]+~after)"/.exec(text(afterPost))![1]!;
    const reflected = await press(
      anna,
      VERBS.checkInAnswer,
      { checkInId, plan: 'Jag prövar tyst start i 5B på måndag', lookFor: 'Om fler kommer igång', useful: '4', support: '', goal: `${dialogueId}:1` },
      'channel',
    );
    expect(reflected).toContain('Tack! Ditt svar är sparat.');

    // --- February: a round for the five teachers ---
    setClock('2027-02-03T08:00:00Z');
    // Only the owner starts a round: not a teacher, in the channel or in 1:1.
    await inChannel(TEAM, anna, 'starta uppföljning');
    await bot.connector.waitFor((c) => c.conversationId === TEAM.id && text(c).includes('Bara den som håller målsamtalet'));
    expect(await say(anna, 'starta uppföljning')).toBe('');
    await bot.connector.waitFor((c) => c.conversationId === `a:personal-${anna.id}` && text(c).includes('Bara den som håller målsamtalet'));

    await inChannel(TEAM, PRINCIPAL, 'starta uppföljning');
    const formCall = await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Starta uppföljningen'));
    const form = inputsOf(cardInCall(formCall));
    expect(form.title).toBe('Uppföljning VT 2027');
    expect(form.dialogueId).toBe(dialogueId);
    const formId = /"formId":"([^"]+)"/.exec(text(formCall))![1]!;
    // A bad form comes back with each problem said, and nothing is started.
    const refused = await press(PRINCIPAL, VERBS.followUpStart, { ...form, formId, title: ' ', lastDay: '2026-01-01', reminders: 'true' }, 'channel');
    expect(refused).toContain('Uppföljningen är inte startad.');
    expect(refused).toContain('Skriv en rubrik på högst 100 tecken.');
    expect(refused).toContain('Sista dagen måste komma efter första dagen.');
    expect(await bot.stores.followUps.roundsOfUnit(TENANT_ID, 'exempelskolan')).toHaveLength(0);
    const submit = () => press(PRINCIPAL, VERBS.followUpStart, { ...form, formId, lastDay: '2027-02-09', reminders: 'true' }, 'channel');
    const [first, second] = await Promise.all([submit(), submit()]);
    expect(`${first}${second}`).toContain('Uppföljning VT 2027** är startad');
    expect(await bot.stores.followUps.roundsOfUnit(TENANT_ID, 'exempelskolan')).toHaveLength(1);

    await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('0 av 5 har följt upp sina mål'), 15_000);
    const cards = await eventually(() => {
      const found = bot.connector.calls.filter((c) => c.method === 'POST' && text(c).includes('Hur långt har du kommit?'));
      return found.length === 5 ? found : undefined;
    });
    const roundId = /"roundId":"([^"]+)"/.exec(text(cards[0]))![1]!;
    expect(cards.some((c) => text(c).includes(`${anna.name}s elever arbetar i lugn och ro`))).toBe(true);

    // A draft keeps what she wrote; a confirm without the next step is refused and changes nothing.
    expect(await answer(anna, roundId, 2, { next: '' }, VERBS.followUpSave)).toContain('Utkastet är sparat.');
    expect((await bot.stores.followUps.getResponse(TENANT_ID, roundId, anna.aadObjectId, 1))!.value).toMatchObject({ status: 'draft', progress: 2 });
    expect(await answer(anna, roundId, 2, { next: '' })).toContain('Skriv vad du gör härnäst.');
    expect((await bot.stores.followUps.getResponse(TENANT_ID, roundId, anna.aadObjectId, 1))!.value.status).toBe('draft');
    // Four confirm (David twice: a double click); Eva does not answer.
    expect(await answer(anna, roundId, 2)).toContain('är bekräftad');
    await answer(bo, roundId, 3);
    await answer(cecilia, roundId, 3, { evidence: 'Eleverna kommer igång snabbare', evidenceValue: '18', evidenceUnit: 'av 24 elever' });
    await Promise.all([answer(david, roundId, 4), answer(david, roundId, 4)]);
    await bot.connector.waitFor((c) => c.method === 'PUT' && c.conversationId === TEAM.id && text(c).includes('4 av 5 har följt upp sina mål'), 15_000);

    // Someone outside the round finds nothing to answer; a teacher may not close it or read the analysis.
    expect(await answer(PRINCIPAL, roundId, 5)).toContain('finns inte');
    expect(await press(anna, VERBS.followUpClose, { roundId })).toContain('Bara den som håller målsamtalet');
    expect(await press(anna, VERBS.followUpAnalysis, { roundId })).toContain('Bara den som håller målsamtalet');
    expect(await press(NILS, VERBS.followUpAnalysis, { roundId })).toContain('Bara den som håller målsamtalet');
    expect(await say(anna, 'analys')).toBe('');
    await bot.connector.waitFor(
      (c) => c.conversationId === `a:personal-${anna.id}` && text(c).includes('Bara den som håller målsamtalet') && text(c).includes('analysen'),
    );

    // Norrskolan's round, answered by both.
    await inChannel(NORR_TEAM, NILS, 'starta uppföljning');
    const norrForm = await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === NORR_TEAM.id && text(c).includes('Starta uppföljningen'));
    const norrValues = inputsOf(cardInCall(norrForm));
    await press(
      NILS,
      VERBS.followUpStart,
      { ...norrValues, formId: /"formId":"([^"]+)"/.exec(text(norrForm))![1]!, lastDay: '2027-02-12' },
      'channel',
      NORR_TEAM,
    );
    const norrRound = await eventually(async () => (await bot.stores.followUps.roundsOfUnit(TENANT_ID, 'norrskolan'))[0]?.roundId);
    await eventually(async () => (await bot.stores.followUps.getRound(TENANT_ID, norrRound))?.value.status === 'open');
    await answer(norr[0]!, norrRound, 4);
    await answer(norr[1]!, norrRound, 2);

    // The reminder: 2 days before the last day is a Sunday, so it goes Monday at the end of the quiet hours, to Eva only.
    const reminderJob = (await bot.stores.schedule.get(`followup-reminder|${roundId}|2d`))!.job;
    expect(reminderJob.dueAt).toBe('2027-02-08T06:00:00.000Z');
    expect(await bot.stores.schedule.get(`followup-reminder|${roundId}|7d`)).toBeUndefined();
    setClock('2027-02-07T09:00:00Z');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(bot.connector.calls.filter((c) => text(c).includes('Påminnelse: **Uppföljning VT 2027'))).toHaveLength(0);
    setClock('2027-02-08T06:00:01Z');
    await bot.connector.waitFor((c) => text(c).includes('Påminnelse: **Uppföljning VT 2027'), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const reminders = bot.connector.calls.filter((c) => c.method === 'POST' && text(c).includes('Påminnelse: **Uppföljning VT 2027'));
    expect(reminders).toHaveLength(1);
    expect(text(reminders[0])).toContain('1 mål kvar');

    // Closing after the last day, at the next moment a message may be sent: the analysis goes to the principal in 1:1.
    expect((await bot.stores.schedule.get(`followup-close|${roundId}`))!.job.dueAt).toBe('2027-02-10T06:00:00.000Z');
    setClock('2027-02-10T06:00:01Z');
    const analysisCall = await bot.connector.waitFor((c) => c.method === 'POST' && text(c).includes('Analys: Uppföljning VT 2027'), 15_000);
    const analysis = text(analysisCall);
    expect(analysis).toContain('4 av 5 har följt upp alla sina mål.');
    expect(analysis).toContain(`Har inte svarat: ${eva.name}`);
    // Studiero: Anna 2, Bo 3, Cecilia 3; läs och skriv: David 4 (Eva did not answer).
    expect(analysis).toContain('3 bekräftade svar · Medel 2,7 · median 3');
    expect(analysis).toContain('Fördelning 1–5: 0 · 1 · 2 · 0 · 0');
    expect(analysis).toContain('1 bekräftat svar · Medel 4 · median 4');
    expect(analysis).toContain('1 reflektion från lärgrupperna har gällt målet.');
    expect(analysis).toContain(WORKED(bo));
    expect(analysis).toContain(NEXT(david));
    expect(analysis).toContain('(18 av 24 elever)');
    expect(analysis).toContain('Ett steg upp: de övergripande målen');
    await bot.connector.waitFor((c) => c.method === 'PUT' && c.conversationId === TEAM.id && text(c).includes('Uppföljningen är avslutad.'), 15_000);
    expect(await answer(eva, roundId, 5)).toContain('Uppföljningen är avslutad.');
    expect(await bot.stores.followUps.getResponse(TENANT_ID, roundId, eva.aadObjectId, 1)).toBeUndefined();

    // The principal writes the school's analysis of studiero: stored and versioned.
    const edit = await press(PRINCIPAL, VERBS.schoolAnalysisEdit, { roundId, goalId: 'studiero' });
    expect(edit).toContain('Vad visar resultaten?');
    const written = {
      roundId,
      goalId: 'studiero',
      shows: 'De flesta är på väg',
      why: 'Tydliga starter hjälper',
      actions: 'Vi delar exit tickets i lärgrupperna',
    };
    expect(await press(PRINCIPAL, VERBS.schoolAnalysisSave, { ...written, version: '0' })).toContain('Skolans analys är sparad (version 1).');
    expect(await press(PRINCIPAL, VERBS.schoolAnalysisSave, { ...written, version: '0' })).toContain('Någon annan ändrade samtidigt');
    expect(await press(PRINCIPAL, VERBS.schoolAnalysisSave, { ...written, shows: 'Alla utom en är på väg', version: '1' })).toContain('(version 2)');
    expect((await bot.stores.followUps.schoolAnalyses(TENANT_ID, 'exempelskolan', '2026-27')).map((a) => a.version).sort()).toEqual([1, 2]);

    // The manager sees both schools rolled up: per school, and trygghet pooled over studiero and Norrskolan's trygga raster.
    expect(await say(VERA, 'analys')).toBe('');
    const rollup = text(
      await bot.connector.waitFor((c) => c.conversationId === `a:personal-${VERA.id}` && text(c).includes('Uppföljning i alla skolor'), 15_000),
    );
    expect(rollup).toContain('**Exempelskolan** – Uppföljning VT 2027: 4 av 5 klara');
    expect(rollup).toContain('**Norrskolan** – Uppföljning VT 2027: 2 av 2 klara');
    expect(rollup).toMatch(/trygghet.*?5 bekräftade svar · Medel 2,8 · median 3/);
    expect(rollup).toMatch(/gymnasiet.*?1 bekräftat svar · Medel 4 · median 4/);

    // --- May: a round planned in February, which starts by itself ---
    expect(await say(PRINCIPAL, 'starta uppföljning')).toBe('');
    const plannedForm = await bot.connector.waitFor((c) => c.conversationId === `a:personal-${PRINCIPAL.id}` && text(c).includes('Starta uppföljningen'));
    const plannedValues = inputsOf(cardInCall(plannedForm));
    const planned = await press(PRINCIPAL, VERBS.followUpStart, {
      ...plannedValues,
      formId: /"formId":"([^"]+)"/.exec(text(plannedForm))![1]!,
      title: 'Uppföljning maj',
      startsOn: '2027-05-03',
      lastDay: '2027-05-12',
      reminders: 'false',
    });
    expect(planned).toContain('Uppföljning maj** är planerad och startar av sig själv 3 maj 2027');
    const mayRound = await eventually(
      async () => (await bot.stores.followUps.roundsOfUnit(TENANT_ID, 'exempelskolan')).find((r) => r.roundId !== roundId)?.roundId,
    );
    expect((await bot.stores.followUps.getRound(TENANT_ID, mayRound))!.value.status).toBe('planned');
    // The first day at 07:00 in Stockholm (summer time).
    setClock('2027-05-03T05:00:01Z');
    await eventually(
      () =>
        bot.connector.calls.filter((c) => c.method === 'POST' && text(c).includes('Uppföljning maj') && text(c).includes('Hur långt har du kommit?')).length ===
        5,
    );
    for (const [teacher, progress] of [
      [anna, 3],
      [bo, 4],
      [cecilia, 4],
      [david, 5],
      [eva, 5],
    ] as const)
      await answer(teacher, mayRound, progress);
    const [closed, again] = [
      await press(PRINCIPAL, VERBS.followUpClose, { roundId: mayRound }),
      await press(PRINCIPAL, VERBS.followUpClose, { roundId: mayRound }),
    ];
    expect(closed).toContain('är avslutad. Analysen kommer');
    expect(again).toContain('Uppföljningen var redan avslutad.');
    expect(closed).toContain('5 av 5 har följt upp alla sina mål.');
    expect(closed).toContain('3 bekräftade svar · Medel 3,7 · median 4');
    expect(closed).toContain('Sedan förra uppföljningen: medel 2,7 → 3,7, median 3 → 4 (+1); då 0 · 1 · 2 · 0 · 0');
    expect(closed).toContain('Sedan förra uppföljningen: medel 4 → 5, median 4 → 5 (+1)');
    await eventually(() => bot.connector.calls.filter((c) => c.method === 'POST' && text(c).includes('Analys: Uppföljning maj')).length === 1);

    // A teacher reads only her own follow-up.
    expect(await say(bo, 'min uppföljning')).toBe('');
    const mine = await bot.connector.waitFor(
      (c) => c.conversationId === `a:personal-${bo.id}` && text(c).includes('Uppföljning maj') && text(c).includes('Så här svarade du'),
    );
    expect(text(mine)).toContain(WORKED(bo));
    expect(text(mine)).not.toContain(WORKED(anna));

    // Privacy: nothing anyone wrote in a follow-up reached a channel.
    const channels = channelText();
    for (const teacher of [...teachers, ...norr]) {
      expect(channels).not.toContain(WORKED(teacher));
      expect(channels).not.toContain(NEXT(teacher));
    }
    expect(channels).not.toContain('av 24 elever');
    expect(channels).not.toContain('De flesta är på väg');
  }, 180_000);
});
