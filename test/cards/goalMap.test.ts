import { join } from 'node:path';
import { GOAL_MAP_CARD_BUDGET_BYTES, goalMapCard, goalMapData, goalMapText } from '../../src/cards/goalMap';
import { mineMap, organisationMap } from '../../src/domain/goalMap';
import { goalsFromOrganisation } from '../../src/domain/schoolGoals';
import { stringsFor } from '../../src/i18n';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';
import { goalMapSamples } from './goalMapFixtures';

/** The goal map's text: the same sections as the card, for its fallbackText and for a message when no card can be sent. */

const organisation = loadOrganisation(join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml'));
const year = organisation.schoolYearById('2026-27')!;
const goals = goalsFromOrganisation(organisation, new Date('2026-08-01T00:00:00Z'));
const bySchool = new Map(organisation.file.schools.map((school) => [school.id, goals.filter((goal) => goal.schoolId === school.id)]));

test('when every school is mapped then the text has each section of the card, in Markdown, and the card carries it as fallbackText', () => {
  const data = goalMapData(stringsFor('sv'), organisationMap(organisation, year, bySchool), ['mine', 'all']);
  const text = goalMapText(data);
  expect(text).toContain('**Alla skolors målbild**');
  expect(text).toContain('**Norrskolan · 1 mål**');
  expect(text).toContain('1.\u00a0Alla elever känner sig trygga på rasterna (A) · Saknar mål för övergripande mål B.');
  expect(text).toContain('_Här syns skolornas mål och antal. Ingen lärares mål visas._');
  expect(goalMapCard(data).fallbackText).toBe(text);
});

test('when the text is long then the fallbackText is cut at a paragraph and the whole text is still there to send', () => {
  const many = new Map(
    [...bySchool].map(([id, list]) => [id, Array.from({ length: 40 }, (_, n) => ({ ...list[0]!, id: `g${n}`, position: n, title: `Mål ${n} `.repeat(12) }))]),
  );
  const data = goalMapData(stringsFor('en'), organisationMap(organisation, year, many), ['mine', 'all']);
  expect(goalMapText(data).length).toBeGreaterThan(4000);
  expect(data.fallbackText.length).toBeLessThanOrEqual(4003);
  expect(data.fallbackText.endsWith('\n\n…')).toBe(true);
});

test('when a teacher has no goals then the text says so and shows no sections', () => {
  const text = goalMapText(goalMapData(stringsFor('en'), mineMap(organisation, year, undefined, []), ['mine']));
  expect(text).toBe(
    '**Your goal map**\n\nSchool year 2026-27\n\nYou have no goals this school year yet. When your principal starts a goal dialogue, you write your goals here in the chat.\n\n_Your goals are visible only to you and your principal._',
  );
});

test('when every school and many groups across schools are mapped then the fallbackText gives way, so that the card stays within its budget with every group on it', () => {
  const sample = goalMapSamples('sv').find((entry) => entry.state === 'manager-20-schools-4-groups-per-area')!;
  const card = sample.card as { fallbackText?: string };
  const json = JSON.stringify(sample.card);
  expect(Buffer.byteLength(json, 'utf8')).toBeLessThanOrEqual(GOAL_MAP_CARD_BUDGET_BYTES);
  expect(card.fallbackText!.length).toBeLessThan(4000);
  expect(card.fallbackText!.endsWith('\n\n…')).toBe(true);
  expect(json).toContain('Utvecklingsområden och grupper');
  expect(json).toContain('Ledarskap i klassrummet – utvecklingsgrupp 4 för åk 4–9 · utvecklingsgrupp · 11 medlemmar');
  expect(json).toContain('Förstelärarnätverket 7–9 · förstelärarnätverk · 14 medlemmar');
});

test('when a map has groups across schools then its text lists them under their development area, an area without one marked', () => {
  const sample = goalMapSamples('en').find((entry) => entry.state === 'principal-with-groups')!;
  const text = (sample.card as { fallbackText?: string }).fallbackText ?? '';
  expect(text).toContain('**Development areas and groups**');
  expect(text).toContain('Anpassad lärmiljö och organisation (AMO) – utvecklingsgrupp 2 for years 4–9 · development group · 8 members');
  expect(text).toContain('Matematik · Serves overarching goal B\n\nNo group this school year.');
  expect(text).toContain('Other groups across the schools · Lead teachers F–6 · lead teachers’ network · 14 members');
});
