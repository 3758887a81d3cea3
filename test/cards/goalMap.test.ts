import { join } from 'node:path';
import { goalMapCard, goalMapData, goalMapText } from '../../src/cards/goalMap';
import { mineMap, organisationMap } from '../../src/domain/goalMap';
import { goalsFromOrganisation } from '../../src/domain/schoolGoals';
import { stringsFor } from '../../src/i18n';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';

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
    '**Your goal map**\n\nLäsåret 2026/27\n\nYou have no goals this school year yet. When your principal starts a goal dialogue, you write your goals here in the chat.\n\n_Your goals are visible only to you and your principal._',
  );
});
