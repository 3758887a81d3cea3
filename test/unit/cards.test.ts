import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHelpCard } from '../../src/cards/help';
import { renderWelcomeCard } from '../../src/cards/welcome';

describe('card templates', () => {
  test('when the welcome card is expanded then it carries the title, body and start line', () => {
    const card = renderWelcomeCard({ title: 'Hej', body: 'Jag hjälper dig', start: 'Skriv hjälp' });
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(card)).not.toContain('${');
    expect(card.body).toEqual([
      expect.objectContaining({ text: 'Hej' }),
      expect.objectContaining({ text: 'Jag hjälper dig' }),
      expect.objectContaining({ text: 'Skriv hjälp' }),
    ]);
  });

  test('when the help card is expanded with two commands then it lists both as facts', () => {
    const card = renderHelpCard({
      title: 'Det här kan du göra',
      intro: 'Skriv ett kommando.',
      commands: [
        { usage: 'hjälp', description: 'Visar kortet.' },
        { usage: 'mina mål', description: 'Visar dina mål.' },
      ],
      privacy: 'Privat.',
    });
    const factSet = card.body?.find((element) => (element as { type: string }).type === 'FactSet') as { facts: unknown[] };
    expect(factSet.facts).toEqual([
      { title: 'hjälp', value: 'Visar kortet.' },
      { title: 'mina mål', value: 'Visar dina mål.' },
    ]);
  });

  test('when text with template-like characters is bound then it is shown as written', () => {
    const card = renderWelcomeCard({ title: 'Mål ${x} "citat" \\ ny\nrad', body: '<b>', start: '{}' });
    expect((card.body?.[0] as { text: string }).text).toBe('Mål ${x} "citat" \\ ny\nrad');
  });

  test('when the templates folder is read then every template is valid JSON and is expanded by a render function', () => {
    const dir = join(__dirname, '..', '..', 'adaptiveCards');
    const names = readdirSync(dir).filter((name) => name.endsWith('.json'));
    const sourceDir = join(__dirname, '..', '..', 'src', 'cards');
    const sources = readdirSync(sourceDir)
      .map((file) => readFileSync(join(sourceDir, file), 'utf8'))
      .join('\n');
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      const template = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { type?: string };
      expect(template.type).toBe('AdaptiveCard');
      expect(sources).toContain(`expandCard('${name.replace(/\.json$/, '')}'`);
    }
  });
});
