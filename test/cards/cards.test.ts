import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { adaptiveCardSchema } from './cardSchema';
import { heightProblems, staticProblems } from './checks';
import { cardSamples } from './fixtures';
import { CardRenderer, chromiumAvailable, CHROMIUM, WIDTHS } from './renderInBrowser';

const samples = cardSamples();
const names = samples.map((sample) => `${sample.template} ${sample.state} (${sample.language})`);

describe('every card, in sv and en', () => {
  test('when the templates folder is read then every template has sample cards in both languages', () => {
    const templates = readdirSync(join(__dirname, '..', '..', 'adaptiveCards')).map((file) => file.replace(/\.json$/, ''));
    for (const template of templates) {
      expect(samples.filter((s) => s.template === template).map((s) => s.language)).toEqual(expect.arrayContaining(['sv', 'en']));
    }
  });

  test.each(samples.map((sample, index) => [names[index], sample] as const))(
    'when %s is expanded then it is valid Adaptive Cards 1.5, within 40 KB, and every input has a label',
    (_name, sample) => {
      expect(staticProblems(sample.card)).toEqual([]);
    },
  );
});

describe('the derived 1.5 schema', () => {
  const card = (body: unknown[], actions: unknown[] = []) => ({ type: 'AdaptiveCard' as const, version: '1.5', body, actions });

  test('when a card has a number as text, an unknown colour, a 1.6 property or an unknown element then each is named', () => {
    expect(staticProblems(card([{ type: 'Input.Number', id: 'n', label: 'N', value: '3' }]))).toEqual(['schema: /body/0/value must be number']);
    expect(staticProblems(card([{ type: 'TextBlock', text: 'x', color: 'Green' }]))).toEqual([
      expect.stringMatching(/^schema: \/body\/0\/color must match pattern/),
    ]);
    expect(staticProblems(card([{ type: 'Input.Text', id: 't', label: 'T', labelPosition: 'inline' }]))).toEqual([
      'schema: /body/0/labelPosition boolean schema is false (not in 1.5)',
    ]);
    expect(staticProblems(card([{ type: 'Chart.Pie', data: [] }]))).toEqual(["schema: /body/0 must have required property 'fallback'"]);
  });

  test("when a choice set searches through the bot (Teams' Data.Query) then it passes, and a malformed query is named", () => {
    const picker = (data: unknown) =>
      card([{ type: 'Input.ChoiceSet', id: 'p', label: 'P', style: 'filtered', choices: [{ title: 'A', value: 'a' }], 'choices.data': data }]);
    expect(staticProblems(picker({ type: 'Data.Query', dataset: 'malbild.people' }))).toEqual([]);
    expect(staticProblems(picker({ type: 'Data.Search', dataset: 'x' }))).toEqual([
      expect.stringMatching(/^schema: \/body\/0\/choices\.data\/type must be equal to constant/),
    ]);
  });

  test('when a card uses 1.5 features Teams relies on then it passes', () => {
    const valid = card(
      [
        { type: 'Chart.VerticalBar', data: [], fallback: { type: 'TextBlock', text: 'x', wrap: true } },
        { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Mer', verb: 'v', mode: 'secondary' }] },
        { type: 'Input.Toggle', id: 'x', title: 'X', label: 'X', wrap: true, isRequired: true, errorMessage: 'Behövs' },
      ],
      [{ type: 'Action.Execute', title: 'Spara', verb: 'spara', style: 'positive', data: { a: 1 } }],
    );
    expect(staticProblems({ ...valid, refresh: { action: { type: 'Action.Execute', verb: 'v' }, userIds: ['29:a'] } })).toEqual([]);
    expect(adaptiveCardSchema()).toMatchObject({ $ref: '#/definitions/AdaptiveCard' });
  });
});

const rendering = chromiumAvailable() ? describe : describe.skip;
if (!chromiumAvailable()) {
  test.skip(`cards rendered in Chromium: skipped, ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`, () => undefined);
}

rendering(`every card rendered by adaptivecards in Chromium at ${WIDTHS.join(' and ')} px`, () => {
  let renderer: CardRenderer;
  beforeAll(async () => {
    renderer = await CardRenderer.start();
  }, 60_000);
  afterAll(async () => {
    await renderer?.close();
  });

  test.each(samples.map((sample, index) => [names[index], sample] as const))(
    'when %s is rendered then the renderer reports nothing, no text is cut or faint, and it is within its height budget',
    async (_name, sample) => {
      const problems: string[] = [];
      for (const width of WIDTHS) {
        const result = await renderer.render(sample.card, width);
        problems.push(...result.problems.map((p) => `${width}px ${p}`), ...heightProblems(sample.template, width, result.height));
      }
      expect(problems).toEqual([]);
    },
    30_000,
  );
});
