import { entryBytes, shortened, withinBudget } from '../../src/cards/budget';
import { type Language } from '../../src/i18n';
import { CARD_BUDGET_BYTES, cardBytes } from './checks';
import { bigGroupSamples } from './fixtures';

/**
 * Teams refuses a message over about 100 KB. Every learning-group card,
 * built for a group of 300 in a staff team of 1,000 with long answers from
 * everyone, stays within the project's 40 KB budget.
 */

const GROUP_TEMPLATES = ['learningGroupForm', 'learningGroup', 'groupChoice', 'checkIn', 'checkInSummary', 'learningLog', 'questionEditor'];
const LANGUAGES: Language[] = ['sv', 'en'];
const samples = LANGUAGES.flatMap((language) => bigGroupSamples(language));

describe('group cards for a group of 300 in a team of 1,000', () => {
  test('when the big samples are built then every group template is among them, in both languages', () => {
    for (const language of LANGUAGES) {
      expect(new Set(samples.filter((s) => s.language === language).map((s) => s.template))).toEqual(new Set(GROUP_TEMPLATES));
    }
  });

  test.each(samples.map((s) => [`${s.template} ${s.state} (${s.language})`, s] as const))('when %s is built then its JSON is under 40 KB', (_name, sample) => {
    expect(cardBytes(sample.card)).toBeLessThan(CARD_BUDGET_BYTES);
  });

  test('when the answers do not all fit then the card says how many are left out', () => {
    const sv = JSON.stringify(samples.find((s) => s.state === 'after-group-300-members' && s.language === 'sv')?.card);
    expect(sv).toMatch(/\d+ svar till får inte plats på kortet\./);
    const en = JSON.stringify(samples.find((s) => s.state === 'before-300-members' && s.language === 'en')?.card);
    expect(en).toMatch(/\d+ more answers do not fit on the card\./);
  });

  test('when the form of a 300-member group is built then it lists the 61 people a group can have, not the team', () => {
    const form = samples.find((s) => s.state === 'edit-300-members-team-1000' && s.language === 'sv')!.card;
    const members = (form.body as { id?: string; choices?: unknown[]; value?: string }[]).find((e) => e.id === 'members')!;
    expect(members.choices).toHaveLength(61);
    expect(members.value?.split(',')).toHaveLength(61);
  });
});

describe('the budget for lists that grow with a group', () => {
  test('when an answer is longer than 500 characters then it is cut at a word with "…"', () => {
    const cut = shortened(`${'ord '.repeat(200)}slut`);
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(cut.endsWith('ord…')).toBe(true);
    expect(shortened('kort svar')).toBe('kort svar');
  });

  test('when lists do not fit then entries are kept in order until the first that does not, and the rest are counted', () => {
    const lists = [
      ['a'.repeat(100), 'b'.repeat(100)],
      ['c'.repeat(100), 'd'],
    ];
    const fitted = withinBudget(lists, (entry) => entryBytes(entry), 2 * entryBytes('x'.repeat(100)));
    expect(fitted).toEqual({ lists: [[lists[0]![0], lists[0]![1]], []], left: 2 });
    expect(withinBudget(lists, (entry) => entryBytes(entry))).toEqual({ lists, left: 0 });
  });

  test('when a text has Swedish letters then its bytes count them as UTF-8 does', () => {
    expect(entryBytes('åäö') - entryBytes('')).toBe(6);
  });
});
