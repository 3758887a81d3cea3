import { VERBS } from '../../src/cards/verbs';
import { person, type Person, type TeamRef, TENANT_ID } from '../helpers/activities';
import { cardInCall, inputsOf } from '../helpers/cards';
import { botPerDescribe, drivenClock, text } from '../helpers/frontDoor';
import { NILS, PRINCIPALS_TEAM, RUT, VERA } from '../helpers/people';
import { rosterRule } from '../helpers/roster';

/**
 * A group across schools through the front door (the demo organisation
 * file): the verksamhetschef creates an utvecklingsgrupp for the
 * development area Matematik in the principals' team, with members from
 * Exempelskolan and Norrskolan; a teacher cannot make one in a team of her
 * own; the check-in asks each member what they did at their unit (and the
 * unit, once, of those the file does not place); the samtalsledare's
 * summary shows the answers per unit, while the channel sees counts only.
 */

const OTHER_TEAM: TeamRef = { id: '19:matteintresserade@thread.tacv2', name: 'Matteintresserade' };
/** Verksamhetsutvecklare the organisation file does not place: each picks their unit in the first check-in. */
const KLARA = person('Klara Kvist', 71);
const OSKAR = person('Oskar Nord', 72);

const ANSWERS = {
  klara: 'Klara har startat en mattestuga för åk 5 på Exempelskolan',
  oskar: 'Oskar har prövat gemensam problemlösning i två klasser på Norrskolan',
  rut: 'Rut har avsatt tid för ämneslagen att planera tillsammans',
};

describe('a group across schools end to end through /api/messages', () => {
  // 2026-09-01 08:00 in Stockholm, early in the läsår.
  const { now, setClock } = drivenClock('2026-09-01T06:00:00Z');
  const bot = botPerDescribe({
    env: { SCHEDULER_POLL_MS: '1000' },
    now,
    rules: [rosterRule(PRINCIPALS_TEAM.id, [VERA, RUT, NILS, KLARA, OSKAR]), rosterRule(OTHER_TEAM.id, [KLARA, OSKAR])],
  });
  const { inChannel } = bot;
  const action = (team: TeamRef, from: Person, verb: string, data: Record<string, unknown>, replyToId = 'card-1') =>
    bot.pressOn(replyToId, from, verb, data, 'channel', team);
  const formIn = async (team: TeamRef, from: Person) => {
    const since = Date.now();
    await inChannel(team, from, 'ny lärgrupp');
    const call = await bot.connector.waitFor(
      (c) => c.at >= since && c.method === 'POST' && c.conversationId === team.id && text(c).includes('Ny lärgrupp'),
      10_000,
    );
    return { call, inputs: inputsOf(cardInCall(call)) };
  };

  test('when a teacher asks for a group across schools in a team of her own then she is refused and nothing is created', async () => {
    const { stores } = bot;
    const { call, inputs } = await formIn(OTHER_TEAM, KLARA);
    // Her form offers no group across schools…
    expect(text(call)).not.toContain('Över skolorna');
    expect(text(call)).not.toContain('Förstelärarnätverk');
    // …and a crafted one is refused on the server, saying who may.
    const refused = await action(OTHER_TEAM, KLARA, VERBS.groupSave, {
      ...inputs,
      groupId: '',
      name: 'Matematik över skolorna',
      kind: 'utvecklingsgrupp',
      crossSchool: 'true',
      area: 'matematik',
      members: [KLARA, OSKAR].map((p) => p.aadObjectId).join(','),
    });
    expect(refused).toContain('Bara verksamhetschefer, rektorer och administratörer kan skapa en grupp över skolorna');
    expect(await stores.learningGroups.groupsInConversation(TENANT_ID, OTHER_TEAM.id)).toEqual([]);
    // An ordinary learning group is still hers to create there.
    const ordinary = await action(OTHER_TEAM, KLARA, VERBS.groupSave, {
      ...inputs,
      groupId: '',
      name: 'Mattecirkeln',
      members: [KLARA, OSKAR].map((p) => p.aadObjectId).join(','),
    });
    expect(ordinary).toContain('Mattecirkeln');
    const [group] = await stores.learningGroups.groupsInConversation(TENANT_ID, OTHER_TEAM.id);
    expect((await stores.learningGroups.getGroup(TENANT_ID, group!.groupId))!.value.crossSchool).toBeUndefined();
  }, 60_000);

  test('when the verksamhetschef creates an utvecklingsgrupp for Matematik in the principals’ team then its check-in asks about each unit, the summary groups the answers per unit and the channel sees counts only', async () => {
    const { connector, stores } = bot;
    // The form in the principals' team: an utvecklingsgrupp across schools, five meetings, the development areas to choose.
    const { call, inputs } = await formIn(PRINCIPALS_TEAM, VERA);
    expect(text(call)).toContain('Över skolorna');
    expect(text(call)).toContain('Utvecklingsområde');
    expect(text(call)).toContain('Matematik');
    expect(inputs.kind).toBe('utvecklingsgrupp');
    expect(Object.keys(inputs).filter((key) => /^date\d+$/.test(key))).toHaveLength(5);

    const members = [RUT, NILS, KLARA, OSKAR].map((p) => p.aadObjectId).join(',');
    const form = { ...inputs, groupId: '', name: 'Matematik – utvecklingsgruppen', facilitator: RUT.aadObjectId, members, privacy: 'named' };
    // Without a development area it comes back with the problem named.
    const noArea = await action(PRINCIPALS_TEAM, VERA, VERBS.groupSave, { ...form, area: '' }, 'form-1');
    expect(noArea).toContain('Välj ett av organisationens utvecklingsområden');
    expect(await stores.learningGroups.groupsInConversation(TENANT_ID, PRINCIPALS_TEAM.id)).toEqual([]);

    const created = await action(PRINCIPALS_TEAM, VERA, VERBS.groupSave, { ...form, area: 'matematik' }, 'form-1');
    expect(created).toContain('Matematik – utvecklingsgruppen');
    expect(created).toContain('Utvecklingsgrupp · Matematik · över skolorna');
    const [summary] = await stores.learningGroups.groupsInConversation(TENANT_ID, PRINCIPALS_TEAM.id);
    const group = (await stores.learningGroups.getGroup(TENANT_ID, summary!.groupId))!.value;
    expect(group.crossSchool?.area).toEqual({ id: 'matematik', title: 'Matematik' });
    expect(group.meetings).toHaveLength(5);
    // The organisation file places the principals; the others have not said yet.
    expect(Object.fromEntries(group.members.map((m) => [m.name, m.unit]))).toEqual({
      'Rut Rektorsson': 'exempelskolan',
      'Nils Norberg': 'norrskolan',
      'Klara Kvist': undefined,
      'Oskar Nord': undefined,
    });
    expect(group.questions.before[0]).toMatchObject({ id: 'atUnit', label: 'Vad har du gjort på din enhet sedan förra träffen?' });

    // A member posts the before check-in; each member's own view asks about their unit, and Klara for her unit too.
    await inChannel(PRINCIPALS_TEAM, RUT, 'incheckning');
    const posted = await connector.waitFor(
      (c) => c.method === 'POST' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('0 av 4 har svarat'),
      10_000,
    );
    const checkInId = /"checkInId":"([^"]+)"/.exec(text(posted))?.[1] ?? '';
    expect(checkInId).toContain('~before');
    const klaraView = await action(PRINCIPALS_TEAM, KLARA, VERBS.checkInView, { checkInId });
    expect(klaraView).toContain('Vad har du gjort på din enhet sedan förra träffen?');
    expect(klaraView).toContain('Vilken enhet (skola) kommer du från?');
    expect(klaraView).toContain('Norrskolan');
    const rutView = await action(PRINCIPALS_TEAM, RUT, VERBS.checkInView, { checkInId });
    expect(rutView).toContain('Vad har du gjort på din enhet sedan förra träffen?');
    expect(rutView).not.toContain('Vilken enhet (skola) kommer du från?');

    const answer = (who: Person, atUnit: string, extra: Record<string, string> = {}) =>
      action(PRINCIPALS_TEAM, who, VERBS.checkInAnswer, { checkInId, atUnit, tried: 'Exit tickets', happened: 'Fler elever förklarade', ...extra });
    // Klara must say her unit before the answer is kept.
    const withoutUnit = await answer(KLARA, ANSWERS.klara);
    expect(withoutUnit).toContain('Din enhet: Den här frågan behöver ett svar.');
    expect(await stores.learningGroups.answers(TENANT_ID, checkInId)).toEqual([]);
    expect(await answer(KLARA, ANSWERS.klara, { unit: 'exempelskolan' })).toContain('Tack! Ditt svar är sparat.');
    expect(await answer(OSKAR, ANSWERS.oskar, { unit: 'norrskolan' })).toContain('Tack! Ditt svar är sparat.');
    expect(await answer(RUT, ANSWERS.rut)).toContain('Tack! Ditt svar är sparat.');
    // The group keeps the units: the next check-in does not ask again.
    const kept = (await stores.learningGroups.getGroup(TENANT_ID, group.id))!.value;
    expect(kept.members.find((m) => m.name === 'Klara Kvist')?.unit).toBe('exempelskolan');
    expect(kept.members.find((m) => m.name === 'Oskar Nord')?.unit).toBe('norrskolan');
    const klaraAgain = await action(PRINCIPALS_TEAM, KLARA, VERBS.checkInEdit, { checkInId });
    expect(klaraAgain).not.toContain('Vilken enhet (skola) kommer du från?');

    // The channel's card: how many answered per unit, and none of the answers, though the group shows names.
    const updated = await connector.waitFor(
      (c) => c.method === 'PUT' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('3 av 4 har svarat'),
      10_000,
    );
    expect(text(updated)).toContain('Svar per enhet: Exempelskolan 2 av 2 · Norrskolan 1 av 2');

    // Two hours before the meeting the samtalsledare gets the summary in 1:1, the unit answers per unit.
    const meetingStart = new Date(Date.parse(`${group.meetings[0]!.date}T${group.startTime}:00+02:00`));
    setClock(new Date(meetingStart.getTime() - 2 * 3_600_000 + 1_000));
    const summaryCall = await connector.waitFor((c) => c.method === 'POST' && text(c).includes('Sammanfattning: Matematik – utvecklingsgruppen'), 15_000);
    expect(summaryCall.conversationId).toBe(`a:personal-${RUT.id}`);
    const summaryText = text(summaryCall);
    expect(summaryText).toContain('Vad har du gjort på din enhet sedan förra träffen? Svaren per enhet:');
    expect(summaryText).toContain('Exempelskolan: 2 av 2 svarade');
    expect(summaryText).toContain('Norrskolan: 1 av 2 svarade');
    const exempel = summaryText.indexOf('Exempelskolan: 2 av 2 svarade');
    const norr = summaryText.indexOf('Norrskolan: 1 av 2 svarade');
    expect(summaryText.indexOf(`Klara Kvist: ${ANSWERS.klara}`)).toBeGreaterThan(exempel);
    expect(summaryText.indexOf(`Rut Rektorsson: ${ANSWERS.rut}`)).toBeGreaterThan(exempel);
    expect(summaryText.indexOf(`Oskar Nord: ${ANSWERS.oskar}`)).toBeGreaterThan(norr);
    expect(summaryText.indexOf(`Klara Kvist: ${ANSWERS.klara}`)).toBeLessThan(norr);

    // Nothing anyone wrote reached the principals' team: its cards carry counts only.
    for (const call of connector.calls.filter((c) => c.conversationId === PRINCIPALS_TEAM.id && c.method !== 'GET')) {
      for (const words of Object.values(ANSWERS)) expect(text(call)).not.toContain(words);
      expect(text(call)).not.toContain('Exit tickets');
    }
  }, 90_000);
});
