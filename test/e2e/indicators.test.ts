import { VERBS } from '../../src/cards/verbs';
import { person, type Person, TEAM } from '../helpers/activities';
import { elementsOf } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';
import { botPerDescribe, text } from '../helpers/frontDoor';
import { PRINCIPALS_TEAM, RUT, VERA } from '../helpers/people';

/**
 * Indicators through the front door (the demo organisation file's
 * indicators): the principal records her school's results and the manager
 * an overarching one in their 1:1 chats; `resultat` draws each series as a
 * chart with a table fallback and a text line; a teacher cannot record; a
 * bad value is refused with nothing stored; a form submitted twice records
 * once; a correction keeps the history. The clock is driven: "today" is 20
 * June 2027, after the spring term.
 */

const NOW = new Date('2027-06-20T08:00:00Z');
const TEACHER = person('Anna Lindqvist', 71);

type Json = Record<string, unknown>;

/** The card of an Action.Execute's answer (the invoke's body), or undefined when it answered with a message. */
function invokeCard(body: string): Json | undefined {
  const parsed = JSON.parse(body) as { type?: string; value?: unknown };
  return parsed.type === 'application/vnd.microsoft.card.adaptive' ? (parsed.value as Json) : undefined;
}

function invokeMessage(body: string): string {
  const parsed = JSON.parse(body) as { type?: string; value?: unknown };
  return parsed.type === 'application/vnd.microsoft.activity.message' ? String(parsed.value) : '';
}

function cardOfCall(call: ConnectorCall): Json {
  const attachments = (call.body?.attachments ?? []) as { content?: Json }[];
  return attachments[0]?.content ?? {};
}

const textsOf = (card: unknown): string[] => elementsOf(card, (element) => element.type === 'TextBlock').map((element) => String(element.text));

describe('indicators end to end through /api/messages', () => {
  const bot = botPerDescribe({ now: () => NOW });
  const { press } = bot;
  const save = (from: Person, data: Json) => press(from, VERBS.resultsSave, data);
  /** What the bot sent into the person's 1:1 chat after her message. */
  const say = async (from: Person, words: string): Promise<ConnectorCall> => {
    const { connector } = bot;
    const before = connector.calls.length;
    await bot.say(from, words);
    return connector.waitFor((c) => connector.calls.indexOf(c) >= before && c.method === 'POST' && c.conversationId === `a:personal-${from.id}`);
  };

  test('when the principal records her school results then the results card draws them against baseline and target, with a table fallback and a line', async () => {
    const { stores } = bot;
    const form = cardOfCall(await say(RUT, 'registrera resultat'));
    const choices = elementsOf(form, (element) => element.id === 'target')[0]?.choices as { title: string; value: string }[];
    // Her school's goal indicator and her school's value of each overarching per-school indicator; not Norrskolan's.
    expect(choices.map((choice) => choice.value)).toEqual([
      'behoriga-gymnasiet|exempelskolan',
      'trygghet-elevenkat|exempelskolan',
      'meritvarde-ak9|exempelskolan',
      'exempelskolan-e-ak6|exempelskolan',
    ]);
    const formId = (form.actions as { data: Json }[])[0]!.data.formId as string;
    expect(formId).toMatch(/^\d{8}-[0-9a-f]{10}$/);

    const answer = await save(RUT, { formId, target: 'behoriga-gymnasiet|exempelskolan', value: '86,5', date: '2027-06-15', comment: 'Vårterminens betyg' });
    const card = invokeCard(answer)!;
    const texts = textsOf(card);
    expect(texts).toContain(
      'Resultatet är sparat: Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram · Exempelskolan: 86,5\u00a0% (15 juni 2027).',
    );
    expect(texts).toContain(
      'Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram: 86,5\u00a0% i juni 2027 (mål 90\u00a0%, utgångsläge 84\u00a0%), ↑',
    );
    const [chart] = elementsOf(card, (element) => element.type === 'Chart.Line');
    expect(chart?.data).toEqual([
      {
        legend: 'Resultat',
        values: [
          { x: 'juni 2026', y: 84 },
          { x: 'juni 2027', y: 86.5 },
        ],
      },
      {
        legend: 'Mål',
        values: [
          { x: 'juni 2026', y: 90 },
          { x: 'juni 2027', y: 90 },
        ],
      },
    ]);
    // Where Teams draws no chart: a table of the same numbers.
    expect(textsOf(chart?.fallback)).toEqual([
      'Datum',
      'Värde',
      '15 juni 2026 (utgångsläge)',
      '84\u00a0%',
      '15 juni 2027',
      '86,5\u00a0%',
      '15 juni 2028 (mål)',
      '90\u00a0%',
    ]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(40 * 1024);

    const stored = await stores.indicators.measurements('behoriga-gymnasiet', 'exempelskolan');
    expect(stored).toMatchObject([{ id: formId, value: 86.5, date: '2027-06-15', comment: 'Vårterminens betyg', version: 1, recordedBy: RUT.aadObjectId }]);
  });

  test('when the same form is submitted twice then the result is recorded once', async () => {
    const { stores } = bot;
    const data = { formId: '20270620-0123456789', target: 'exempelskolan-e-ak6|exempelskolan', value: '83', date: '2027-06-11', comment: '' };
    await save(RUT, data);
    const again = await save(RUT, data);

    expect(textsOf(invokeCard(again))).toContain('Det här resultatet var redan sparat. Ingenting har sparats två gånger.');
    expect(await stores.indicators.measurements('exempelskolan-e-ak6', 'exempelskolan')).toHaveLength(1);
  });

  test('when a value is not a number or the date is in the future then the form comes back saying so and nothing is stored', async () => {
    const { stores } = bot;
    const notNumber = invokeCard(
      await save(RUT, { formId: '20270620-aaaaaaaaaa', target: 'meritvarde-ak9|exempelskolan', value: 'tvåhundra', date: '2027-06-15', comment: '' }),
    );
    expect(textsOf(notNumber)).toEqual(
      expect.arrayContaining(['Något behöver rättas innan jag kan spara. Ingenting har sparats ännu.', 'Det här är inte ett tal. Skriv t.ex. 86 eller 86,5.']),
    );

    const future = invokeCard(
      await save(RUT, { formId: '20270620-bbbbbbbbbb', target: 'meritvarde-ak9|exempelskolan', value: '231', date: '2027-08-01', comment: '' }),
    );
    expect(textsOf(future)).toContain('Datumet ligger i framtiden. Ett resultat gäller i dag eller tidigare.');

    const share = invokeCard(
      await save(RUT, { formId: '20270620-cccccccccc', target: 'trygghet-elevenkat|exempelskolan', value: '120', date: '2027-03-15', comment: '' }),
    );
    expect(textsOf(share)).toContain('En andel i procent ligger mellan 0 och 100.');

    expect(await stores.indicators.measurements('meritvarde-ak9', 'exempelskolan')).toEqual([]);
    expect(await stores.indicators.measurements('trygghet-elevenkat', 'exempelskolan')).toEqual([]);
  });

  test('when a teacher asks to record or sends a crafted form then she is refused and nothing is stored', async () => {
    const { stores } = bot;
    const asked = await say(TEACHER, 'registrera resultat');
    expect(text(asked)).toContain(
      'Resultat registreras av rektor för skolans indikatorer och av verksamhetschefen för de övergripande. Ingenting har sparats.',
    );

    const crafted = await save(TEACHER, {
      formId: '20270620-dddddddddd',
      target: 'exempelskolan-e-ak6|exempelskolan',
      value: '99',
      date: '2027-06-15',
      comment: '',
    });
    expect(invokeMessage(crafted)).toContain('Ingenting har sparats.');

    // The principal of one school may not record another school's value either.
    const otherSchool = await save(RUT, {
      formId: '20270620-eeeeeeeeee',
      target: 'behoriga-gymnasiet|norrskolan',
      value: '99',
      date: '2027-06-15',
      comment: '',
    });
    expect(invokeMessage(otherSchool)).toContain('Ingenting har sparats.');

    expect((await stores.indicators.measurements('exempelskolan-e-ak6', 'exempelskolan')).map((m) => m.value)).toEqual([83]);
    expect(await stores.indicators.measurements('behoriga-gymnasiet', 'norrskolan')).toEqual([]);
  });

  test('when the manager records an overarching value and asks for the results then the schools are side by side', async () => {
    const { stores } = bot;
    await save(VERA, { formId: '20270620-ffffffffff', target: 'behoriga-gymnasiet|norrskolan', value: '80', date: '2027-06-15', comment: '' });

    const card = cardOfCall(await say(VERA, 'resultat'));
    const texts = textsOf(card);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Resultat · Exempelkommun grundskola',
        'Exempelskolan: 86,5\u00a0% i juni 2027 (mål 90\u00a0%, utgångsläge 84\u00a0%), ↑',
        'Norrskolan: 80\u00a0% i juni 2027 (mål 90\u00a0%, utgångsläge 78\u00a0%), ↑',
        'Exempelskolan: inget resultat ännu (mål 235\u00a0poäng, utgångsläge 224\u00a0poäng)',
      ]),
    );
    const [grouped] = elementsOf(card, (element) => element.type === 'Chart.VerticalBar.Grouped');
    expect(grouped?.data).toEqual([
      {
        legend: 'Utgångsläge',
        values: [
          { x: 'Exempelskolan', y: 84 },
          { x: 'Norrskolan', y: 78 },
        ],
      },
      {
        legend: 'Senaste',
        values: [
          { x: 'Exempelskolan', y: 86.5 },
          { x: 'Norrskolan', y: 80 },
        ],
      },
      {
        legend: 'Mål',
        values: [
          { x: 'Exempelskolan', y: 90 },
          { x: 'Norrskolan', y: 90 },
        ],
      },
    ]);
    expect(textsOf(grouped?.fallback)).toEqual([
      'Skola',
      'Senaste',
      'Utgångsläge',
      'Mål',
      'Exempelskolan',
      '86,5\u00a0%',
      '84\u00a0%',
      '90\u00a0%',
      'Norrskolan',
      '80\u00a0%',
      '78\u00a0%',
      '90\u00a0%',
    ]);
    expect(await stores.indicators.measurements('behoriga-gymnasiet', 'norrskolan')).toMatchObject([{ value: 80, recordedBy: VERA.aadObjectId }]);
  });

  test('when the principal corrects a result then it is a new version and the history keeps the first', async () => {
    const { stores } = bot;
    const [first] = await stores.indicators.measurements('exempelskolan-e-ak6', 'exempelskolan');
    const form = invokeCard(await press(RUT, VERBS.resultsRecord, { indicatorId: 'exempelskolan-e-ak6', unitId: 'exempelskolan', measurementId: first!.id }));
    const saveData = (form?.actions as { data: Json }[])[0]!.data;
    expect(saveData).toMatchObject({ target: 'exempelskolan-e-ak6|exempelskolan', measurementId: first!.id, version: 1 });

    const answer = await save(RUT, { ...saveData, value: '84', date: '2027-06-11', comment: 'Rättat efter omprövning' });
    expect(textsOf(invokeCard(answer))).toContain(
      'Rättelsen är sparad: Andel elever i åk 6 med lägst E i svenska och matematik · Exempelskolan: 84\u00a0% (11 juni 2027).',
    );

    const history = await stores.indicators.measurementHistory('exempelskolan-e-ak6', 'exempelskolan', first!.id);
    expect(history.map((m) => [m.version, m.value, m.comment])).toEqual([
      [1, 83, ''],
      [2, 84, 'Rättat efter omprövning'],
    ]);
    expect((await stores.indicators.measurements('exempelskolan-e-ak6', 'exempelskolan')).map((m) => m.value)).toEqual([84]);
  });

  test("when someone in the staff channel asks for the results then the school's numbers are shown, without buttons", async () => {
    const { connector } = bot;
    await bot.inChannel(TEAM, TEACHER, 'resultat');
    const call = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === TEAM.id && text(c).includes('Resultat · Exempelskolan'));
    const card = cardOfCall(call);

    expect(textsOf(card)).toEqual(
      expect.arrayContaining([
        'Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram: 86,5\u00a0% i juni 2027 (mål 90\u00a0%, utgångsläge 84\u00a0%), ↑',
        'Andel elever i åk 6 med lägst E i svenska och matematik: 84\u00a0% i juni 2027 (mål 88\u00a0%, utgångsläge 79\u00a0%), ↑',
      ]),
    );
    expect(elementsOf(card, (element) => element.type === 'Action.Execute')).toEqual([]);
    expect(text(call)).not.toContain('Norrskolan');
  });

  test("when someone asks in the principals' team then every school's numbers are shown", async () => {
    const { connector } = bot;
    await bot.inChannel(PRINCIPALS_TEAM, VERA, 'resultat');
    const call = await connector.waitFor((c) => c.method === 'POST' && c.conversationId === PRINCIPALS_TEAM.id && text(c).includes('Resultat ·'));
    expect(textsOf(cardOfCall(call))).toContain('Norrskolan: 80\u00a0% i juni 2027 (mål 90\u00a0%, utgångsläge 78\u00a0%), ↑');
  });
});

describe('an indicator the principal adds to a school goal, end to end', () => {
  const bot = botPerDescribe({ now: () => NOW });
  const act = (from: Person, verb: string, data: Json) => bot.press(from, verb, data);
  const fields = {
    goal: 'studiero',
    name: 'Andel elever som upplever studiero på lektionerna',
    unit: '%',
    direction: 'higher',
    baselineValue: '71',
    baselineDate: '2026-09-15',
    targetValue: '85',
    targetDate: '2027-09-15',
  };

  test('when the principal saves the form twice then one indicator is added, versioned when changed, and a teacher may not add one', async () => {
    const { stores } = bot;
    const form = invokeCard(await act(RUT, VERBS.indicatorEdit, { schoolId: 'exempelskolan' }));
    const saveData = (form?.actions as { data: Json }[])[0]!.data;
    expect(saveData).toMatchObject({ schoolId: 'exempelskolan' });

    const saved = invokeCard(await act(RUT, VERBS.indicatorSave, { ...saveData, ...fields }));
    expect(textsOf(saved)).toContain('Indikatorn är sparad.');
    expect(textsOf(saved)).toContain('Andel elever som upplever studiero på lektionerna: inget resultat ännu (mål 85\u00a0%, utgångsläge 71\u00a0%)');
    const again = invokeCard(await act(RUT, VERBS.indicatorSave, { ...saveData, ...fields }));
    expect(textsOf(again)).toContain('Indikatorn var redan sparad. Ingenting har sparats två gånger.');
    const [added] = await stores.indicators.schoolIndicators('exempelskolan');
    expect(await stores.indicators.schoolIndicators('exempelskolan')).toHaveLength(1);

    await act(RUT, VERBS.indicatorSave, {
      schoolId: 'exempelskolan',
      indicatorId: added!.id,
      version: 1,
      formId: saveData.formId,
      ...fields,
      targetValue: '88',
    });
    expect((await stores.indicators.indicatorHistory('exempelskolan', added!.id)).map((entry) => [entry.version, entry.target.value])).toEqual([
      [1, 85],
      [2, 88],
    ]);

    const bad = invokeCard(await act(RUT, VERBS.indicatorSave, { ...saveData, formId: '20270620-9999999999', ...fields, targetDate: '2026-01-01' }));
    expect(textsOf(bad)).toContain('Målets datum behöver ligga efter utgångsläget.');

    const refused = await act(TEACHER, VERBS.indicatorSave, { schoolId: 'exempelskolan', formId: '20270620-8888888888', ...fields });
    expect(invokeMessage(refused)).toBe('Bara skolans rektor kan lägga till och ändra indikatorer för skolans mål. Ingenting har sparats.');
    expect(await stores.indicators.schoolIndicators('exempelskolan')).toHaveLength(1);

    const recorded = invokeCard(
      await act(RUT, VERBS.resultsSave, { formId: '20270620-7777777777', target: `${added!.id}|exempelskolan`, value: '78', date: '2027-05-20', comment: '' }),
    );
    expect(textsOf(recorded)).toContain('Andel elever som upplever studiero på lektionerna: 78\u00a0% i maj 2027 (mål 88\u00a0%, utgångsläge 71\u00a0%), ↑');
  });
});
