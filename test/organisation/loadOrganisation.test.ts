import { join } from 'node:path';
import { loadOrganisation, OrganisationFileError, parseOrganisation } from '../../src/organisation/loadOrganisation';

const DEMO = join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml');

function problems(text: string): string[] {
  try {
    parseOrganisation(text);
  } catch (error) {
    if (error instanceof OrganisationFileError) return [...error.problems];
    throw error;
  }
  return [];
}

const VALID = `organisation:
  name: Kommunen
  overarchingGoals:
    - id: trygghet
      title: Trygghet för alla
schoolYear:
  name: Läsåret 2026/27
  start: 2026-08-17
  end: 2027-06-11
  holidays: [2026-10-26/2026-10-28, 2027-05-13]
schools:
  - id: skolan
    name: Skolan
    teamId: "19:abc@thread.tacv2"
    principals:
      - upn: rektor@skolan.example
    goals:
      - id: studiero
        title: Studiero i alla klassrum
        serves: [trygghet]
`;

describe('the organisation file', () => {
  test('when the demo file is loaded then Exempelskolan, its principal, goals and holidays are there', () => {
    const organisation = loadOrganisation(DEMO);
    const school = organisation.schoolByTeam({ teamId: '19:exempelskolan-personal@thread.tacv2' });
    expect(school?.name).toBe('Exempelskolan');
    expect(school?.goals.map((goal) => goal.id)).toEqual(['studiero', 'las-och-skriv', 'formativ-bedomning']);
    expect(organisation.isPrincipalOf(school!, { aadObjectId: '00000000-0000-4000-8000-00000000A000' })).toBe(true);
    expect(organisation.holidays()).toContain('2026-10-28');
  });

  test('when a valid file is parsed then the principal is matched by UPN in any case, and a teacher is not', () => {
    const organisation = parseOrganisation(VALID);
    const school = organisation.schoolById('skolan')!;
    expect(organisation.mayManage(school, { upn: 'Rektor@Skolan.example' })).toBe(true);
    expect(organisation.mayManage(school, { upn: 'larare@skolan.example', aadObjectId: '00000000-0000-4000-8000-000000000001' })).toBe(false);
    expect(organisation.holidays()).toEqual(['2026-10-26', '2026-10-27', '2026-10-28', '2027-05-13']);
  });

  test('when the file says nothing of learning groups then the before summary comes 2 hours ahead, and a lead of its own is read', () => {
    expect(parseOrganisation(VALID).file.learningGroups.beforeSummaryLeadHours).toBe(2);
    expect(parseOrganisation(`${VALID}learningGroups:\n  beforeSummaryLeadHours: 4\n`).file.learningGroups.beforeSummaryLeadHours).toBe(4);
    expect(problems(`${VALID}learningGroups:\n  beforeSummaryLeadHours: -1\n`)).toEqual([
      'line 22, learningGroups.beforeSummaryLeadHours: Number must be greater than or equal to 0',
    ]);
  });

  test('when a school goal serves an unknown overarching goal then the problem names the line and field', () => {
    const text = VALID.replace('serves: [trygghet]', 'serves: [resultat]');
    expect(problems(text)).toEqual(['line 20, schools.0.goals.0.serves.0: "resultat" is not an overarching goal']);
  });

  test('when a date is malformed then its line is named', () => {
    const text = VALID.replace('start: 2026-08-17', 'start: 17/8 2026');
    expect(problems(text)).toEqual(['line 8, schoolYear.start: must be a date written YYYY-MM-DD']);
  });

  test('when a date does not exist then it is refused as not a real date', () => {
    expect(problems(VALID.replace('end: 2027-06-11', 'end: 2027-02-30'))).toEqual(['line 9, schoolYear.end: is not a real date']);
  });

  test('when a required field is missing then the line of its parent is named', () => {
    const text = VALID.replace('    principals:\n      - upn: rektor@skolan.example\n', '');
    expect(problems(text)).toEqual([expect.stringMatching(/^line 12, schools\.0\.principals: /)]);
  });

  test('when the YAML itself is broken then the line is named', () => {
    expect(problems('organisation:\n  name: [unclosed\n')[0]).toMatch(/^line \d+: /);
  });

  test('when the file does not exist then the error says it cannot be read', () => {
    expect(() => loadOrganisation('/nonexistent/organisation.yaml')).toThrow(/cannot be read/);
  });
});
