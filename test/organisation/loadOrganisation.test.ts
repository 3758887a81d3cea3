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

  describe('the goal chain', () => {
    const CHAIN = `organisation:
  name: Kommunen
  managers:
    - upn: chef@kommunen.example
      role: verksamhetschef
  principalsTeam:
    teamId: "19:rektorer@thread.tacv2"
  framework:
    name: Ramverket
    items:
      - id: riktning
        title: Gemensam riktning
        hows:
          staff:
            - id: riktning-personal
              text: Jag utgår från målen.
          leadership:
            - id: riktning-ledning
              text: Ledningen prioriterar utifrån målen.
  overarchingGoals:
    - id: trygghet
      title: Trygghet för alla
      framework: [riktning]
    - id: studiero
      title: Studiero i alla klassrum
      parents: [trygghet]
  developmentAreas:
    - id: amo
      title: Anpassad lärmiljö
      serves: [trygghet]
schoolYears:
  - name: Läsåret 2026/27
    start: 2026-08-17
    end: 2027-06-11
  - id: 2027-28
    name: Läsåret 2027/28
    start: 2027-08-16
    end: 2028-06-09
schools:
  - id: skolan
    name: Skolan
    teamId: "19:abc@thread.tacv2"
    principals:
      - upn: rektor@skolan.example
    focusArea:
      title: Studiero
      goals: [lugn]
    goals:
      - id: lugn
        title: Lugn i klassrummet
        serves: [studiero]
        hows: [riktning-ledning]
        areas: [amo]
    processMap:
      - what: Mentor ser frånvaro
        who: Mentor
        when: Samma vecka
`;

    test('when the whole chain is described then its links, managers and läsår can be read', () => {
      const organisation = parseOrganisation(CHAIN);
      expect(organisation.isManager({ upn: 'Chef@Kommunen.example' })).toBe(true);
      expect(organisation.isManager({ upn: 'rektor@skolan.example' })).toBe(false);
      expect(organisation.isPrincipalsTeam({ teamId: '19:rektorer@thread.tacv2' })).toBe(true);
      expect(organisation.isPrincipalsTeam({ teamId: '19:abc@thread.tacv2' })).toBe(false);
      expect(organisation.frameworkHow('riktning-ledning')).toEqual({
        item: 'riktning',
        itemTitle: 'Gemensam riktning',
        level: 'leadership',
        text: 'Ledningen prioriterar utifrån målen.',
      });
      expect(organisation.overarchingGoal('studiero')?.parents).toEqual(['trygghet']);
      expect(organisation.schoolById('skolan')?.processMap).toEqual([{ what: 'Mentor ser frånvaro', who: 'Mentor', when: 'Samma vecka' }]);
      expect(organisation.schoolYears().map((year) => year.id)).toEqual(['2026-27', '2027-28']);
      expect(organisation.schoolYearOn('2027-06-11').id).toBe('2026-27');
      expect(organisation.schoolYearOn('2027-07-01').id).toBe('2027-28');
      expect(organisation.schoolYearOn('2029-01-01').id).toBe('2027-28');
    });

    test('when the demo file is loaded then it describes all four levels of the chain', () => {
      const organisation = loadOrganisation(DEMO);
      expect(organisation.file.organisation.framework?.items).toHaveLength(4);
      expect(organisation.file.organisation.developmentAreas.map((area) => area.id)).toEqual(['skua', 'amo', 'ledarskap', 'matematik']);
      expect(organisation.isManager({ aadObjectId: '00000000-0000-4000-8000-00000000d001' })).toBe(true);
      expect(organisation.schoolsLedBy({ aadObjectId: '00000000-0000-4000-8000-00000000d002' }).map((school) => school.id)).toEqual(['norrskolan']);
      expect(organisation.schoolById('exempelskolan')?.focusArea?.goals).toEqual(['las-och-skriv']);
    });

    test.each([
      [
        'a link to a framework item that does not exist',
        'framework: [riktning]',
        'framework: [riktningen]',
        'line 23, organisation.overarchingGoals.0.framework.0: "riktningen" is not a framework item',
      ],
      [
        'a parent goal that does not exist',
        'parents: [trygghet]',
        'parents: [trygg]',
        'line 26, organisation.overarchingGoals.1.parents.0: "trygg" is not an overarching goal',
      ],
      [
        'a development area serving a goal that does not exist',
        'serves: [trygghet]',
        'serves: [resultat]',
        'line 30, organisation.developmentAreas.0.serves.0: "resultat" is not an overarching goal',
      ],
      [
        'a school goal linked to an unknown HOW',
        'hows: [riktning-ledning]',
        'hows: [okand]',
        'line 52, schools.0.goals.0.hows.0: "okand" is not a HOW of the framework',
      ],
      [
        'a school goal linked to a HOW for staff',
        'hows: [riktning-ledning]',
        'hows: [riktning-personal]',
        'line 52, schools.0.goals.0.hows.0: "riktning-personal" is a HOW for staff, not for school leadership',
      ],
      ['a school goal in an unknown development area', 'areas: [amo]', 'areas: [skua]', 'line 53, schools.0.goals.0.areas.0: "skua" is not a development area'],
      [
        'a fokusområde linked to a goal the school does not have',
        'goals: [lugn]',
        'goals: [tyst]',
        'line 47, schools.0.focusArea.goals.0: "tyst" is not one of the school\'s goals',
      ],
      [
        'a HOW id used twice',
        'id: riktning-ledning',
        'id: riktning-personal',
        'line 18, organisation.framework.items.0.hows.leadership.0.id: "riktning-personal" is used by two HOWs',
      ],
      ['a process step without who', '        who: Mentor\n', '', 'line 55, schools.0.processMap.0.who: Required'],
    ])('when the file has %s then the problem names its line and field', (_what, from, to, problem) => {
      expect(CHAIN).toContain(from);
      expect(problems(CHAIN.replace(from, to))).toContain(problem);
    });

    test("when two overarching goals are each other's parent then the cycle is named once", () => {
      const text = CHAIN.replace('      framework: [riktning]\n', '      framework: [riktning]\n      parents: [studiero]\n');
      expect(problems(text)).toEqual(['line 24, organisation.overarchingGoals.0.parents.0: makes a cycle: trygghet → studiero → trygghet']);
    });

    test('when a goal is its own parent then that is a cycle', () => {
      expect(problems(CHAIN.replace('parents: [trygghet]', 'parents: [studiero]'))).toEqual([
        'line 26, organisation.overarchingGoals.1.parents.0: makes a cycle: studiero → studiero',
      ]);
    });

    test('when two läsår overlap or both forms are used then that is refused', () => {
      expect(problems(CHAIN.replace('start: 2027-08-16', 'start: 2027-06-01'))).toEqual([
        expect.stringMatching(/^line \d+, schoolYears\.1\.start: overlaps the läsår "2026-27"$/),
      ]);
      const both = CHAIN.replace('schoolYears:\n', 'schoolYear:\n  name: Läsåret\n  start: 2026-08-17\n  end: 2027-06-11\nschoolYears:\n');
      expect(problems(both)).toEqual([expect.stringMatching(/schoolYears: use either schoolYear or schoolYears, not both$/)]);
    });
  });
});
