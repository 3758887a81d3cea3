import { VERBS } from '../../src/cards/verbs';
import { ORGANISATION_UNIT_ID } from '../../src/domain/organisation';
import { openCount } from '../../src/proactive/outboxRepository';
import { person, type Person, TENANT_ID } from '../helpers/activities';
import { cardInCall, inputsOf } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';
import { eventually } from '../helpers/eventually';
import { botPerDescribe, drivenClock, text } from '../helpers/frontDoor';
import { writeGoalByTyping } from '../helpers/goalDialogue';
import { NILS, PRINCIPALS_TEAM, RUT, VERA } from '../helpers/people';
import { rosterRule } from '../helpers/roster';

/**
 * A resultatdialog through the front door on the demo organisation (two
 * schools, each with four indicators of its own: three overarching ones
 * kept per school and one of a school goal), the scheduler and the outbox
 * on a driven clock: the manager's målsamtal with the two principals in
 * September; results recorded in January; in February the manager starts a
 * round as a resultatdialog; each principal gets a card per indicator of
 * her school and answers; a bad answer and a double click; a teacher and
 * the other school's principal refused; the manager reads the schools side
 * by side on demand and when the round closes; the channel sees counts only.
 */

const TEACHER = person('Anna Lind', 71);

const INDICATORS = {
  exempelskolan: ['behoriga-gymnasiet', 'trygghet-elevenkat', 'meritvarde-ak9', 'exempelskolan-e-ak6'],
  norrskolan: ['behoriga-gymnasiet', 'trygghet-elevenkat', 'meritvarde-ak9', 'norrskolan-trygga-raster'],
} as const;
type SchoolId = keyof typeof INDICATORS;

const SHOWS = (school: string, indicator: string) => `${school} ${indicator}: resultaten visar en tydlig ökning sedan förra året`;
const CAUSES = (school: string, indicator: string) => `${school} ${indicator}: fler elever får stöd tidigt i läsningen`;
const ACTIONS = (school: string, indicator: string) => `${school} ${indicator}: vi fortsätter med lässtödet och följer upp varje månad`;

describe('resultatdialog end to end through /api/messages', () => {
  // Tuesday 1 September 2026, 08:00 in Stockholm.
  const { now, setClock } = drivenClock('2026-09-01T06:00:00Z');
  const bot = botPerDescribe({ env: { SCHEDULER_POLL_MS: '1000' }, now, rules: [rosterRule(PRINCIPALS_TEAM.id, [VERA, RUT, NILS])] });
  const { post, say, inChannel, press } = bot;

  const inChat = (who: Person) => (c: ConnectorCall) => c.method === 'POST' && c.conversationId === `a:personal-${who.id}`;
  const channelText = () =>
    bot.connector.calls
      .filter((c) => c.conversationId === PRINCIPALS_TEAM.id && c.method !== 'GET')
      .map(text)
      .join('\n');
  const answer = (
    who: Person,
    roundId: string,
    schoolId: SchoolId,
    indicatorId: string,
    extra: Record<string, string> = {},
    verb: string = VERBS.resultAnswerConfirm,
  ) =>
    press(who, verb, {
      roundId,
      schoolId,
      indicatorId,
      shows: SHOWS(schoolId, indicatorId),
      causes: CAUSES(schoolId, indicatorId),
      actions: ACTIONS(schoolId, indicatorId),
      ...extra,
    });

  test('when two principals answer a resultatdialog then the manager sees both schools side by side and the channel only counts', async () => {
    // --- September: the manager's målsamtal with the two principals, each confirming one goal ---
    const started = await press(
      VERA,
      VERBS.dialogueStart,
      {
        title: 'Målsamtal med rektorerna HT 2026',
        goalIds: 'trygghet,resultat',
        deadline: '2026-09-30',
        participantMode: 'everyone',
        participantIds: '',
        reminders: 'false',
        schoolId: ORGANISATION_UNIT_ID,
      },
      'channel',
      PRINCIPALS_TEAM,
    );
    expect(started).toContain('Målsamtalet är startat');
    const dialogueId = await eventually(async () => (await bot.stores.goalDialogues.dialoguesOfSchool(TENANT_ID, ORGANISATION_UNIT_ID))[0]?.dialogueId);
    for (const principal of [RUT, NILS]) {
      await eventually(async () => (await bot.stores.goalDialogues.getParticipation(dialogueId, principal.aadObjectId)) !== undefined);
      await writeGoalByTyping(post, bot.connector.url, principal, dialogueId, {
        goal: `${principal.name}s skola: alla elever känner sig trygga i skolan och på rasterna`,
        how: 'Rektor leder ett gemensamt arbete med rastvärdar och tydliga regler som eleverna är med och formar',
        evidence: 'Trygghetsenkäten varje termin och elevrådets återkoppling efter varje månad',
      });
    }

    // --- January: each principal records the school's result for eligibility to upper secondary school ---
    setClock('2027-01-20T08:00:00Z');
    for (const [who, schoolId, value, formId] of [
      [RUT, 'exempelskolan', '86', '20270120-aaaaaaaaaa'],
      [NILS, 'norrskolan', '80,5', '20270120-bbbbbbbbbb'],
    ] as const) {
      const recorded = await press(who, VERBS.resultsSave, { formId, target: `behoriga-gymnasiet|${schoolId}`, value, date: '2027-01-15', comment: '' });
      expect(recorded).not.toContain('finns inte');
    }

    // --- February: the manager starts a round as a resultatdialog ---
    setClock('2027-02-03T08:00:00Z');
    await inChannel(PRINCIPALS_TEAM, VERA, 'starta uppföljning');
    const formCall = await bot.connector.waitFor(
      (c) => c.method === 'POST' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Starta uppföljningen'),
    );
    const form = inputsOf(cardInCall(formCall));
    expect(text(formCall)).toContain('Resultatdialog: rektorerna kommenterar också sin skolas resultat');
    expect(form.resultDialogue).toBe('true');
    const formId = /"formId":"([^"]+)"/.exec(text(formCall))![1]!;
    const submitted = await press(
      VERA,
      VERBS.followUpStart,
      { ...form, formId, title: 'Resultatdialog VT 2027', lastDay: '2027-02-12' },
      'channel',
      PRINCIPALS_TEAM,
    );
    expect(submitted).toContain('Resultatdialog VT 2027** är startad');
    const roundId = await eventually(async () => (await bot.stores.followUps.roundsOfUnit(TENANT_ID, ORGANISATION_UNIT_ID))[0]?.roundId);
    expect((await bot.stores.followUps.getRound(TENANT_ID, roundId))!.value.resultDialogue).toBe(true);

    // Each principal: her goal card, then a card per indicator of her own school, with the school's value against baseline and target.
    // The round's opening job queues the cards in the outbox, and the outbox sends them: each step is awaited on its own
    // (one wait for the whole way assumed a fast machine); then every card is in, once.
    const cardsJob = `followup-cards|${roundId}`;
    const queued = await eventually(async () => {
      const counts = await bot.stores.outbox.countStatuses(cardsJob);
      return counts.total > 0 ? counts : undefined;
    });
    expect(queued.total).toBe(10);
    const sent = await eventually(async () => {
      const counts = await bot.stores.outbox.countStatuses(cardsJob);
      return openCount(counts) === 0 ? counts : undefined;
    });
    expect(sent).toMatchObject({ total: 10, sent: 10, failed: 0 });
    const cardsOf = (who: Person) => bot.connector.calls.filter((c) => inChat(who)(c) && text(c).includes('Vad visar resultaten?'));
    expect(cardsOf(RUT)).toHaveLength(4);
    expect(cardsOf(NILS)).toHaveLength(4);
    const rutCards = cardsOf(RUT).map(text).join('\n');
    expect(rutCards).toContain('Resultatdialog · Exempelskolan · indikator 1 av 4');
    expect(rutCards).toContain('Exempelskolan: 86\u00a0% i jan. 2027 (mål 90\u00a0%, utgångsläge 84\u00a0%), ↑');
    expect(rutCards).toContain('Andel elever i åk 6 med lägst E i svenska och matematik');
    expect(rutCards).not.toContain('Norrskolan');
    expect(cardsOf(NILS).map(text).join('\n')).toContain('Norrskolan: 80,5\u00a0% i jan. 2027 (mål 90\u00a0%, utgångsläge 78\u00a0%), ↑');
    await bot.connector.waitFor(
      (c) => c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Resultatdialog: 0 av 2 skolor har svarat på alla sina indikatorer'),
      15_000,
    );

    // A draft is kept; a confirm without the causes, or with a text too long, is refused and changes nothing.
    const draft = await answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet', { causes: '' }, VERBS.resultAnswerSave);
    expect(draft).toContain('Utkastet är sparat.');
    const stored = () => bot.stores.resultAnswers.getAnswer(TENANT_ID, roundId, 'exempelskolan', 'behoriga-gymnasiet');
    expect((await stored())!.value).toMatchObject({ status: 'draft', causes: '' });
    const missing = await answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet', { causes: ' ' });
    expect(missing).toContain('Ingenting är sparat.');
    expect(missing).toContain('Skriv de troliga orsakerna.');
    const tooLong = await answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet', { shows: 'x'.repeat(2001) });
    expect(tooLong).toContain('Varje svar får vara högst 2 000 tecken.');
    expect((await stored())!.value).toMatchObject({ status: 'draft', shows: SHOWS('exempelskolan', 'behoriga-gymnasiet'), causes: '' });
    // Data that is not a card's (a number where text belongs) is refused as it stands.
    expect(await answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet', { shows: 42 as unknown as string })).toContain('ingenting har ändrats');

    // A double click confirms once: one row, its first confirmation kept.
    const [first, second] = await Promise.all([
      answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet'),
      answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet'),
    ]);
    expect(`${first}${second}`).toContain('Skolans svar om indikatorn är bekräftat.');
    const confirmedAt = (await stored())!.value.confirmedAt;
    expect(confirmedAt).toBeDefined();
    await answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet');
    expect((await stored())!.value.confirmedAt).toBe(confirmedAt);
    expect((await bot.stores.resultAnswers.answers(TENANT_ID, roundId)).filter((a) => a.schoolId === 'exempelskolan')).toHaveLength(1);

    // Only a round's principal answers, and only for her own school; only the owner reads the schools side by side.
    expect(await answer(NILS, roundId, 'exempelskolan', 'exempelskolan-e-ak6')).toContain('Bara rektorerna i resultatdialogen kan svara');
    expect(await answer(TEACHER, roundId, 'norrskolan', 'behoriga-gymnasiet')).toContain('Bara rektorerna i resultatdialogen kan svara');
    expect(await bot.stores.resultAnswers.getAnswer(TENANT_ID, roundId, 'exempelskolan', 'exempelskolan-e-ak6')).toBeUndefined();
    for (const who of [NILS, TEACHER]) {
      await say(who, 'resultatdialog');
      await bot.connector.waitFor((c) => inChat(who)(c) && text(c).includes('sida vid sida ser verksamhetschefen'));
    }

    // Rut answers the rest; Nils three of his four.
    for (const indicatorId of INDICATORS.exempelskolan.slice(1)) await answer(RUT, roundId, 'exempelskolan', indicatorId);
    for (const indicatorId of INDICATORS.norrskolan.slice(0, 3)) await answer(NILS, roundId, 'norrskolan', indicatorId);
    await bot.connector.waitFor(
      (c) => c.method === 'PUT' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Resultatdialog: 1 av 2 skolor har svarat'),
      15_000,
    );

    // On demand: each indicator with both schools stacked, and who has not answered.
    const before = bot.connector.calls.length;
    await say(VERA, 'resultatdialog');
    const view = text(
      await bot.connector.waitFor(
        (c) => bot.connector.calls.indexOf(c) >= before && inChat(VERA)(c) && text(c).includes('Resultatdialog: Resultatdialog VT 2027'),
      ),
    );
    expect(view).toContain('1 av 2 skolor har svarat på alla sina indikatorer.');
    expect(view).toContain('Har inte svarat: Norrskolan (Nils Norberg)');
    expect(view).toContain('Exempelskolan: 86\u00a0% i jan. 2027');
    expect(view).toContain('Norrskolan: 80,5\u00a0% i jan. 2027');
    expect(view).toContain(SHOWS('exempelskolan', 'behoriga-gymnasiet'));
    expect(view).toContain(ACTIONS('norrskolan', 'behoriga-gymnasiet'));
    expect(view).toContain('Inget bekräftat svar än.');
    expect(view.indexOf(SHOWS('exempelskolan', 'behoriga-gymnasiet'))).toBeLessThan(view.indexOf(SHOWS('norrskolan', 'behoriga-gymnasiet')));

    // Nils's last answer, then the manager closes: the view comes with the analysis.
    await answer(NILS, roundId, 'norrskolan', 'norrskolan-trygga-raster');
    expect(await press(VERA, VERBS.followUpClose, { roundId })).toContain('är avslutad');
    const closedView = text(
      await bot.connector.waitFor((c) => inChat(VERA)(c) && text(c).includes('2 av 2 skolor har svarat på alla sina indikatorer.'), 15_000),
    );
    expect(closedView).toContain(CAUSES('norrskolan', 'norrskolan-trygga-raster'));
    expect(closedView).toContain(CAUSES('exempelskolan', 'exempelskolan-e-ak6'));
    expect(closedView).not.toContain('Har inte svarat');
    const rows = await bot.stores.resultAnswers.answers(TENANT_ID, roundId);
    expect(rows).toHaveLength(8);
    expect(rows.every((row) => row.status === 'confirmed')).toBe(true);
    // After closing nothing changes.
    expect(await answer(RUT, roundId, 'exempelskolan', 'behoriga-gymnasiet', { shows: 'Ändrat efteråt' })).toContain('Uppföljningen är avslutad.');
    expect((await stored())!.value.shows).toBe(SHOWS('exempelskolan', 'behoriga-gymnasiet'));

    // Privacy: the channel saw counts, never an answer.
    await bot.connector.waitFor((c) => c.method === 'PUT' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Uppföljningen är avslutad.'), 15_000);
    const channel = channelText();
    for (const [schoolId, indicators] of Object.entries(INDICATORS)) {
      for (const indicatorId of indicators) {
        for (const words of [SHOWS(schoolId, indicatorId), CAUSES(schoolId, indicatorId), ACTIONS(schoolId, indicatorId)]) expect(channel).not.toContain(words);
      }
    }
  }, 180_000);
});
