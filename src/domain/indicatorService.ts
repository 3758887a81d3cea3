import { localDateOf } from '../time';
import { AppError, isAppError } from './errors';
import { formIdOf, formIdSchema } from './formIds';
import {
  baselineOf,
  type FormResult,
  type Indicator,
  type IndicatorField,
  type IndicatorPoint,
  type IndicatorRepository,
  indicatorsFromOrganisation,
  type Measurement,
  type MeasurementField,
  parseTargetKey,
  readIndicatorForm,
  readMeasurementForm,
  targetKey,
  unitsOf,
} from './indicators';
import { type Actor, ORGANISATION_UNIT_ID, type Organisation, type School } from './organisation';
import type { SchoolClock } from './schoolClock';
import type { SchoolGoalRepository } from './schoolGoals';

/**
 * The use cases of indicators: who may record what, recording and
 * correcting measurements, principals adding indicators to school goals,
 * and the results read per school or for the whole organisation.
 *
 * The API a result dialogue builds on: `indicatorsForSchool` (each of a
 * school's indicators with its series, optionally within a läsår) and
 * `latestMeasurements` (each indicator's newest value for the school).
 * Indicators hold aggregate numbers only, never a person's data, so the
 * results may be shown in a channel.
 */

/** One unit's series of an indicator: where it started and what was measured since. */
export interface IndicatorSeries {
  unitId: string;
  /** The school's name, or the organisation's for the organisation level. */
  unitName: string;
  baseline: IndicatorPoint;
  /** Current versions, oldest date first. */
  measurements: Measurement[];
}

export interface IndicatorResult {
  indicator: Indicator;
  /** The title of the goal it measures (the school goal's current title). */
  goalTitle: string;
  series: IndicatorSeries[];
}

/** A series someone may record a measurement for. */
export interface RecordTarget {
  indicator: Indicator;
  unitId: string;
  unitName: string;
}

/** What a recording did: stored now, or found stored (the same form submitted again); or the form's problems, nothing stored. */
export type RecordOutcome =
  | { kind: 'recorded' | 'already'; measurement: Measurement; target: RecordTarget }
  | ({ kind: 'problems' } & Extract<FormResult<unknown, MeasurementField>, { ok: false }>);

export type DefineOutcome =
  { kind: 'saved' | 'already'; indicator: Indicator } | ({ kind: 'problems' } & Extract<FormResult<unknown, IndicatorField>, { ok: false }>);

/** Which results someone sees in 1:1: the whole organisation (managers, admins), their schools (principals), or none. */
export type ResultsScope = { kind: 'organisation' } | { kind: 'schools'; schools: School[] } | { kind: 'none' };

export class IndicatorService {
  private readonly fromFile: Indicator[];

  constructor(
    private readonly organisation: Organisation,
    private readonly repository: IndicatorRepository,
    private readonly schoolGoals: SchoolGoalRepository,
    private readonly clock: SchoolClock,
  ) {
    this.fromFile = indicatorsFromOrganisation(organisation);
  }

  private get schools(): School[] {
    return this.organisation.file.schools;
  }

  private today(): string {
    return localDateOf(this.clock.now(), this.clock.timeZone);
  }

  private actorId(actor: Actor): string {
    return actor.aadObjectId ?? actor.upn ?? 'unknown';
  }

  unitName(unitId: string): string {
    return unitId === ORGANISATION_UNIT_ID ? this.organisation.name : (this.organisation.schoolById(unitId)?.name ?? unitId);
  }

  /** Every indicator: the file's, then those principals added, school by school. */
  async allIndicators(): Promise<Indicator[]> {
    const added = await Promise.all(this.schools.map((school) => this.repository.schoolIndicators(school.id)));
    return [...this.fromFile, ...added.flat()];
  }

  async indicator(indicatorId: string): Promise<Indicator> {
    const found = (await this.allIndicators()).find((entry) => entry.id === indicatorId);
    if (!found) throw new AppError('NOT_FOUND', 'no such indicator');
    return found;
  }

  // --- Reading results ---

  /**
   * A school's indicators, each with the school's series: its goals'
   * indicators, and the overarching ones (per school: the school's series;
   * otherwise the organisation's). With a läsår, only its measurements.
   */
  async indicatorsForSchool(schoolId: string, schoolYear?: string): Promise<IndicatorResult[]> {
    const school = this.organisation.schoolById(schoolId);
    if (!school) throw new AppError('NOT_FOUND', 'no such school', { reason: 'unknownSchool' });
    const all = await this.allIndicators();
    const overarching = all.filter((entry) => entry.goal.level === 'overarching');
    const own = all.filter((entry) => entry.goal.level === 'school' && entry.goal.schoolId === schoolId);
    const titles = await this.goalTitles([schoolId]);
    return Promise.all(
      [...overarching, ...own].map(async (indicator) => {
        const unitId = indicator.goal.level === 'overarching' && !indicator.perSchool ? ORGANISATION_UNIT_ID : schoolId;
        return { indicator, goalTitle: this.goalTitle(indicator, titles), series: [await this.series(indicator, unitId, schoolYear)] };
      }),
    );
  }

  /** Each of a school's indicators with the school's newest measurement (undefined before the first). */
  async latestMeasurements(schoolId: string, schoolYear?: string): Promise<{ indicator: Indicator; unitId: string; latest?: Measurement }[]> {
    return (await this.indicatorsForSchool(schoolId, schoolYear)).map(({ indicator, series: [series] }) => ({
      indicator,
      unitId: series!.unitId,
      latest: series!.measurements[series!.measurements.length - 1],
    }));
  }

  /** The overarching indicators with every unit's series (per school side by side), then each school's own. */
  async organisationResults(schoolYear?: string): Promise<{ overarching: IndicatorResult[]; schools: { school: School; results: IndicatorResult[] }[] }> {
    const all = await this.allIndicators();
    const titles = await this.goalTitles(this.schools.map((school) => school.id));
    const resultOf = async (indicator: Indicator): Promise<IndicatorResult> => ({
      indicator,
      goalTitle: this.goalTitle(indicator, titles),
      series: await Promise.all(
        unitsOf(
          indicator,
          this.schools.map((school) => school.id),
        ).map((unitId) => this.series(indicator, unitId, schoolYear)),
      ),
    });
    const overarching = await Promise.all(all.filter((entry) => entry.goal.level === 'overarching').map(resultOf));
    const schools = await Promise.all(
      this.schools.map(async (school) => ({
        school,
        results: await Promise.all(all.filter((entry) => entry.goal.level === 'school' && entry.goal.schoolId === school.id).map(resultOf)),
      })),
    );
    return { overarching, schools: schools.filter((entry) => entry.results.length > 0) };
  }

  /** What `resultat` in 1:1 shows the person. */
  scopeFor(actor: Actor): ResultsScope {
    if (this.organisation.isManager(actor) || this.organisation.isAdmin(actor)) return { kind: 'organisation' };
    const schools = this.organisation.schoolsLedBy(actor);
    return schools.length > 0 ? { kind: 'schools', schools } : { kind: 'none' };
  }

  private async series(indicator: Indicator, unitId: string, schoolYear?: string): Promise<IndicatorSeries> {
    const year = schoolYear === undefined ? undefined : this.organisation.schoolYearById(schoolYear);
    if (schoolYear !== undefined && !year) throw new AppError('NOT_FOUND', 'no such läsår');
    const measurements = (await this.repository.measurements(indicator.id, unitId)).filter((m) => !year || (m.date >= year.start && m.date <= year.end));
    return { unitId, unitName: this.unitName(unitId), baseline: baselineOf(indicator, unitId), measurements };
  }

  private async goalTitles(schoolIds: string[]): Promise<Map<string, string>> {
    const titles = new Map<string, string>(this.organisation.overarchingGoals().map((goal) => [`~|${goal.id}`, goal.title]));
    const lists = await Promise.all(schoolIds.map(async (schoolId) => ({ schoolId, goals: await this.schoolGoals.list(schoolId) })));
    for (const { schoolId, goals } of lists) for (const goal of goals) titles.set(`${schoolId}|${goal.id}`, goal.title);
    return titles;
  }

  private goalTitle(indicator: Indicator, titles: ReadonlyMap<string, string>): string {
    const { goal } = indicator;
    return titles.get(goal.level === 'overarching' ? `~|${goal.goalId}` : `${goal.schoolId}|${goal.goalId}`) ?? goal.goalId;
  }

  // --- Recording ---

  /**
   * Who records: a school goal's indicator, the school's principal; an
   * overarching indicator kept per school, the school's principal for the
   * school's value and the managers for any school; an overarching
   * indicator of the organisation, the managers. An admin may do all.
   */
  mayRecord(actor: Actor, indicator: Indicator, unitId: string): boolean {
    if (this.organisation.isAdmin(actor)) return true;
    const { goal } = indicator;
    if (goal.level === 'school') {
      const school = this.organisation.schoolById(goal.schoolId);
      return unitId === goal.schoolId && school !== undefined && this.organisation.isPrincipalOf(school, actor);
    }
    if (
      !unitsOf(
        indicator,
        this.schools.map((school) => school.id),
      ).includes(unitId)
    )
      return false;
    if (this.organisation.isManager(actor)) return true;
    const school = indicator.perSchool ? this.organisation.schoolById(unitId) : undefined;
    return school !== undefined && this.organisation.isPrincipalOf(school, actor);
  }

  /** Every series the person may record for, in the order the results show them. */
  async recordTargets(actor: Actor): Promise<RecordTarget[]> {
    return this.targetsAmong(await this.allIndicators(), actor);
  }

  private targetsAmong(indicators: readonly Indicator[], actor: Actor): RecordTarget[] {
    const schoolIds = this.schools.map((school) => school.id);
    return indicators.flatMap((indicator) =>
      unitsOf(indicator, schoolIds)
        .filter((unitId) => this.mayRecord(actor, indicator, unitId))
        .map((unitId) => ({ indicator, unitId, unitName: this.unitName(unitId) })),
    );
  }

  /** One series the person may record for; NOT_ALLOWED when they may not. */
  async recordTarget(actor: Actor, indicatorId: string, unitId: string): Promise<RecordTarget> {
    const indicator = await this.indicator(indicatorId);
    if (!this.mayRecord(actor, indicator, unitId)) throw new AppError('NOT_ALLOWED', 'may not record this indicator', { action: 'recordResult' });
    return { indicator, unitId, unitName: this.unitName(unitId) };
  }

  /** A series' measurements, for the one who may correct them. */
  async measurementsOf(actor: Actor, indicatorId: string, unitId: string): Promise<Measurement[]> {
    await this.recordTarget(actor, indicatorId, unitId);
    return this.repository.measurements(indicatorId, unitId);
  }

  /**
   * Records the measurement form: a new measurement under the form's id
   * (the same form submitted twice records once), or, with `correcting`, a
   * new version of that measurement. Checked on the server: the person
   * must be allowed to record the series; a bad value or date comes back
   * as the form's problems and nothing is stored.
   */
  async record(actor: Actor, data: Record<string, unknown>, correcting?: { measurementId: string; version: number }): Promise<RecordOutcome> {
    const all = await this.allIndicators();
    const targets = this.targetsAmong(all, actor);
    if (targets.length === 0) throw new AppError('NOT_ALLOWED', 'records no indicator', { action: 'recordResult' });
    const chosen = parseTargetKey(typeof data.target === 'string' ? data.target : '');
    // A series that exists but is another's is refused outright; one that does not exist is the form's problem.
    if (chosen) {
      const indicator = all.find((entry) => entry.id === chosen.indicatorId);
      if (indicator && !this.mayRecord(actor, indicator, chosen.unitId))
        throw new AppError('NOT_ALLOWED', 'may not record this indicator', { action: 'recordResult' });
    }
    const byKey = new Map(targets.map((target) => [targetKey(target.indicator.id, target.unitId), target]));
    const form = readMeasurementForm(data, this.today(), (key) => byKey.get(key)?.indicator.unit);
    if (!form.ok) return { kind: 'problems', ...form };
    const target = byKey.get(form.value.target)!;
    const { value, date, comment } = form.value;
    const base = {
      indicatorId: target.indicator.id,
      unitId: target.unitId,
      value,
      date,
      comment,
      recordedAt: this.clock.now().toISOString(),
      recordedBy: this.actorId(actor),
    };
    const same = (stored: Measurement | undefined) => stored !== undefined && stored.value === value && stored.date === date && stored.comment === comment;
    if (correcting) {
      const current = (await this.repository.measurements(base.indicatorId, base.unitId)).find((m) => m.id === correcting.measurementId);
      if (!current) throw new AppError('NOT_FOUND', 'no such measurement');
      if (current.version !== correcting.version) {
        if (same(current)) return { kind: 'already', measurement: current, target };
        throw new AppError('STALE', 'the measurement changed since the card was shown');
      }
      const measurement = { ...base, id: current.id, version: current.version + 1 };
      try {
        await this.repository.saveMeasurement(measurement, current.version);
      } catch (error) {
        // The same correction submitted twice: the first one is kept, the second changes nothing.
        const now = (await this.repository.measurements(base.indicatorId, base.unitId)).find((m) => m.id === current.id);
        if (isAppError(error, 'STALE') && same(now)) return { kind: 'already', measurement: now!, target };
        throw error;
      }
      return { kind: 'recorded', measurement, target };
    }
    const id = formIdOf(data);
    if (!id) throw new AppError('INVALID_INPUT', 'the form has no id');
    const measurement = { ...base, id, version: 1 };
    if ((await this.repository.saveMeasurement(measurement, 0)) === 'saved') return { kind: 'recorded', measurement, target };
    const stored = (await this.repository.measurements(base.indicatorId, base.unitId)).find((m) => m.id === id);
    if (!stored) throw new AppError('CONFLICT', 'the form id is taken by another series');
    return { kind: 'already', measurement: stored, target };
  }

  /** Every version of one measurement, oldest first. */
  measurementHistory(indicatorId: string, unitId: string, measurementId: string): Promise<Measurement[]> {
    return this.repository.measurementHistory(indicatorId, unitId, measurementId);
  }

  // --- Indicators added by principals ---

  /** The school, when the person may add and change its goals' indicators (its principal, or an admin). */
  definableSchool(actor: Actor, schoolId: string): School {
    const school = this.organisation.schoolById(schoolId);
    if (!school) throw new AppError('NOT_FOUND', 'no such school', { reason: 'unknownSchool' });
    if (!this.organisation.mayManage(school, actor)) throw new AppError('NOT_ALLOWED', 'not the principal', { action: 'defineIndicator' });
    return school;
  }

  /** The school's active goals, which an indicator may be added to. */
  async activeGoals(schoolId: string): Promise<{ id: string; title: string }[]> {
    return (await this.schoolGoals.list(schoolId)).filter((goal) => goal.status === 'active').sort((a, b) => a.position - b.position);
  }

  /** An indicator the person may change: one added in Teams to a goal of a school they lead. */
  async editableIndicator(actor: Actor, indicatorId: string): Promise<Indicator & { goal: { level: 'school' } }> {
    const indicator = await this.indicator(indicatorId);
    const { goal } = indicator;
    if (goal.level !== 'school' || indicator.version === 0) throw new AppError('NOT_ALLOWED', 'not added in Teams', { action: 'defineIndicator' });
    this.definableSchool(actor, goal.schoolId);
    return { ...indicator, goal };
  }

  /**
   * Saves the principal's indicator form: a new indicator under the form's
   * id (a form submitted twice adds one), or with `editing` a new version
   * of one added before (STALE when the card showed an older one).
   */
  async defineIndicator(
    actor: Actor,
    schoolId: string,
    data: Record<string, unknown>,
    editing?: { indicatorId: string; version: number },
  ): Promise<DefineOutcome> {
    const school = this.definableSchool(actor, schoolId);
    const previous = editing ? await this.editableIndicator(actor, editing.indicatorId) : undefined;
    if (previous && previous.goal.schoolId !== school.id) throw new AppError('NOT_FOUND', 'not an indicator of this school');
    if (previous && previous.version !== editing!.version) throw new AppError('STALE', 'the indicator changed since the card was shown');
    const goals = new Set((await this.activeGoals(school.id)).map((goal) => goal.id));
    const form = readIndicatorForm(data, this.today(), goals);
    if (!form.ok) return { kind: 'problems', ...form };
    const id = previous?.id ?? formIdSchema.safeParse(data.formId).data;
    if (!id) throw new AppError('INVALID_INPUT', 'the form has no id');
    const { goalId, name, unit, direction, baseline, target } = form.value;
    const indicator = {
      id,
      name,
      unit,
      direction,
      goal: { level: 'school' as const, schoolId: school.id, goalId },
      perSchool: false,
      baseline,
      target,
      schoolBaselines: {},
      version: (previous?.version ?? 0) + 1,
      updatedAt: this.clock.now().toISOString(),
      updatedBy: this.actorId(actor),
    };
    if ((await this.repository.saveIndicator(indicator, previous?.version ?? 0)) === 'saved') return { kind: 'saved', indicator };
    const stored = (await this.repository.schoolIndicators(school.id)).find((entry) => entry.id === id);
    if (!stored) throw new AppError('CONFLICT', 'the form id is taken');
    return { kind: 'already', indicator: stored };
  }

  /** Every version of an indicator added in Teams. */
  indicatorHistory(schoolId: string, indicatorId: string): Promise<Indicator[]> {
    return this.repository.indicatorHistory(schoolId, indicatorId);
  }
}
