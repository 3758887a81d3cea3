import { join } from 'node:path';
import { indicatorsFromOrganisation, parseNumber, readIndicatorForm, readMeasurementForm, unitsOf } from '../../src/domain/indicators';
import { ORGANISATION_UNIT_ID } from '../../src/domain/organisation';
import { loadOrganisation, OrganisationFileError, parseOrganisation } from '../../src/organisation/loadOrganisation';

/** The indicators of the organisation file, and the two forms that record and add them. */

const DEMO = join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml');

const ORGANISATION = `organisation:
  name: Kommunen
  overarchingGoals:
    - id: resultat
      title: Fler elever behöriga till gymnasiet
schoolYear:
  name: Läsåret 2026/27
  start: 2026-08-17
  end: 2027-06-11
schools:
  - id: skolan
    name: Skolan
    teamId: "19:abc@thread.tacv2"
    principals:
      - upn: rektor@skolan.example
    goals:
      - id: las
        title: Alla elever läser varje dag
        serves: [resultat]
`;

function problems(indicators: string): string[] {
  try {
    parseOrganisation(`${ORGANISATION}indicators:\n${indicators}`);
  } catch (error) {
    if (error instanceof OrganisationFileError) return [...error.problems];
    throw error;
  }
  return [];
}

const behoriga = `  - id: behoriga
    goal: resultat
    name: Andel behöriga till gymnasiet
    unit: "%"
    direction: higher
    perSchool: true
    baseline: { value: 82, date: 2026-06-15 }
    target: { value: 90, date: 2028-06-15 }
`;

describe('indicators in the organisation file', () => {
  test('when the demo file is loaded then its indicators measure overarching and school goals, some per school', () => {
    const organisation = loadOrganisation(DEMO);
    const indicators = indicatorsFromOrganisation(organisation);
    const schools = organisation.file.schools.map((school) => school.id);

    expect(indicators.map((indicator) => [indicator.id, indicator.goal.level, unitsOf(indicator, schools)])).toEqual([
      ['behoriga-gymnasiet', 'overarching', ['exempelskolan', 'norrskolan']],
      ['trygghet-elevenkat', 'overarching', ['exempelskolan', 'norrskolan']],
      ['meritvarde-ak9', 'overarching', ['exempelskolan', 'norrskolan']],
      ['exempelskolan-e-ak6', 'school', ['exempelskolan']],
      ['norrskolan-trygga-raster', 'school', ['norrskolan']],
    ]);
    expect(indicators[0]!.schoolBaselines).toEqual({ exempelskolan: { value: 84, date: '2026-06-15' }, norrskolan: { value: 78, date: '2026-06-15' } });
  });

  test('when an indicator is valid then it is read, and one of the organisation level keeps one series', () => {
    expect(problems(behoriga)).toEqual([]);
    const organisation = parseOrganisation(`${ORGANISATION}indicators:\n${behoriga.replace('perSchool: true', 'perSchool: false')}`);
    expect(unitsOf(indicatorsFromOrganisation(organisation)[0]!, ['skolan'])).toEqual([ORGANISATION_UNIT_ID]);
  });

  test('when an indicator names a goal that does not exist then its line and field are named', () => {
    expect(problems(behoriga.replace('goal: resultat', 'goal: trygghet'))).toEqual([
      'line 22, indicators.0.goal: "trygghet" is not an overarching goal (add school: to name a school goal)',
    ]);
    expect(problems(behoriga.replace('goal: resultat', 'school: skolan\n    goal: matte').replace('    perSchool: true\n', ''))).toEqual([
      'line 23, indicators.0.goal: "matte" is not a goal of the school "skolan"',
    ]);
    expect(problems(behoriga.replace('goal: resultat', 'school: norr\n    goal: las').replace('    perSchool: true\n', ''))).toEqual([
      'line 22, indicators.0.school: "norr" is not a school',
    ]);
  });

  test('when two indicators share an id then the second is named', () => {
    expect(problems(`${behoriga}${behoriga}`)).toEqual(['line 29, indicators.1.id: "behoriga" is used by two indicators']);
  });

  test('when the values, dates or direction are wrong then each is named', () => {
    const wrong = behoriga
      .replace('value: 82', 'value: "åttiotvå"')
      .replace('date: 2028-06-15', 'date: 2025-06-15')
      .replace('direction: higher', 'direction: up');
    expect(problems(wrong)).toEqual([
      'line 25, indicators.0.direction: must be "higher" or "lower" (which is better)',
      'line 27, indicators.0.baseline.value: must be a number',
    ]);
    expect(problems(behoriga.replace('date: 2028-06-15', 'date: 2025-06-15'))).toEqual(['line 28, indicators.0.target.date: must be after the baseline date']);
  });

  test("when a school goal's indicator is per school, or a baseline names no school, then it is named", () => {
    expect(problems(behoriga.replace('goal: resultat', 'school: skolan\n    goal: las'))).toEqual([
      "line 27, indicators.0.perSchool: is for an overarching goal's indicator; a school goal's indicator is the school's already",
    ]);
    expect(problems(`${behoriga}    schoolBaselines:\n      - { school: norr, value: 70, date: 2026-06-15 }\n`)).toEqual([
      'line 30, indicators.0.schoolBaselines.0.school: "norr" is not a school',
    ]);
    expect(problems(`${behoriga.replace('    perSchool: true\n', '')}    schoolBaselines:\n      - { school: skolan, value: 70, date: 2026-06-15 }\n`)).toEqual(
      ['line 29, indicators.0.schoolBaselines: needs perSchool: true'],
    );
  });
});

describe('the measurement form', () => {
  const TODAY = '2027-06-20';
  const units = (target: string) => ({ 'behoriga|skolan': '%', 'merit|skolan': 'poäng' })[target];
  const read = (data: Record<string, unknown>) =>
    readMeasurementForm({ target: 'behoriga|skolan', value: '86', date: '2027-06-15', comment: '', ...data }, TODAY, units);

  test('when a number is typed the Swedish way then it is read', () => {
    expect(['86', '86,5', '86.5', '1 234', '86 %', '−3'].map(parseNumber)).toEqual([86, 86.5, 86.5, 1234, 86, -3]);
    expect(read({ value: '86,5', comment: ' Vårens betyg ' })).toEqual({
      ok: true,
      value: { target: 'behoriga|skolan', value: 86.5, date: '2027-06-15', comment: 'Vårens betyg' },
    });
  });

  test('when the value, date or series is wrong then each field has its problem', () => {
    expect(read({ value: 'åttiosex' })).toMatchObject({ ok: false, problems: { value: 'notNumber' } });
    expect(read({ value: '' })).toMatchObject({ ok: false, problems: { value: 'required' } });
    expect(read({ value: '101' })).toMatchObject({ ok: false, problems: { value: 'outOfRange' } });
    expect(read({ target: 'merit|skolan', value: '231' })).toMatchObject({ ok: true });
    expect(read({ date: '2027-06-21' })).toMatchObject({ ok: false, problems: { date: 'future' } });
    expect(read({ date: '2015-06-15' })).toMatchObject({ ok: false, problems: { date: 'tooOld' } });
    expect(read({ date: '2027-02-30' })).toMatchObject({ ok: false, problems: { date: 'notDate' } });
    expect(read({ target: 'annan|skolan' })).toMatchObject({ ok: false, problems: { target: 'unknownTarget' } });
    expect(read({ comment: 'x'.repeat(1001) })).toMatchObject({ ok: false, problems: { comment: 'tooLong' } });
    expect(read({ value: { crafted: 1 } })).toMatchObject({ ok: false, problems: { value: 'required' }, typed: { value: '' } });
  });
});

describe("the principal's indicator form", () => {
  const form = {
    goal: 'las',
    name: 'Andel som läser 20 minuter om dagen',
    unit: '%',
    direction: 'higher',
    baselineValue: '40',
    baselineDate: '2026-09-01',
    targetValue: '70',
    targetDate: '2027-06-01',
  };
  const read = (data: Record<string, unknown>) => readIndicatorForm({ ...form, ...data }, '2027-06-20', new Set(['las']));

  test('when the form is complete then the indicator is read', () => {
    expect(read({})).toEqual({
      ok: true,
      value: {
        goalId: 'las',
        name: form.name,
        unit: '%',
        direction: 'higher',
        baseline: { value: 40, date: '2026-09-01' },
        target: { value: 70, date: '2027-06-01' },
      },
    });
  });

  test('when the goal is not active, the target comes before the baseline or a field is empty then each is named', () => {
    expect(read({ goal: 'gammalt' })).toMatchObject({ ok: false, problems: { goal: 'unknownGoal' } });
    expect(read({ targetDate: '2026-08-01' })).toMatchObject({ ok: false, problems: { targetDate: 'targetBeforeBaseline' } });
    expect(read({ name: '', direction: 'sideways', targetValue: 'många' })).toMatchObject({
      ok: false,
      problems: { name: 'required', direction: 'required', targetValue: 'notNumber' },
    });
  });
});
