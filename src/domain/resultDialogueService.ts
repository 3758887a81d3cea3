import { AppError } from './errors';
import { hasOpened, type Round, type RoundParticipant } from './followUp';
import type { FollowUpRepository } from './followUpRepository';
import type { FollowUpEffects, FollowUpService } from './followUpService';
import type { IndicatorResult, IndicatorSeries, IndicatorService } from './indicatorService';
import type { Indicator } from './indicators';
import { retryOnStale } from './optimistic';
import type { Actor, Organisation, School } from './organisation';
import {
  checkResultAnswer,
  isResultDialogue,
  type ResultAnswer,
  type ResultAnswerForm,
  type ResultAnswerProblem,
  type ResultAnswerRepository,
} from './resultDialogue';
import type { SchoolClock } from './schoolClock';

/** One indicator of a school as its principal answers on it: the school's own series. */
export interface ResultItem {
  school: School;
  indicator: Indicator;
  goalTitle: string;
  series: IndicatorSeries;
}

/** A principal's part of a resultatdialog: per school she leads, its indicators and the school's answers so far. */
export interface SchoolPart {
  school: School;
  items: ResultItem[];
  answers: ResultAnswer[];
}

/** The manager's side-by-side view of a resultatdialog. */
export interface SideBySide {
  round: Round;
  /** Per indicator, each school that keeps a series of it, with the school's confirmed answer. */
  indicators: { indicator: Indicator; goalTitle: string; schools: { school: School; series: IndicatorSeries; answer?: ResultAnswer }[] }[];
  /** The schools that have confirmed an answer on every indicator of theirs, of all the round's schools. */
  answered: number;
  total: number;
  /** The schools not done, each with its principals in the round. */
  notAnswered: { school: School; principals: string[] }[];
}

export type RespondOutcome =
  | { kind: 'saved'; round: Round; item: ResultItem; answer: ResultAnswer }
  | { kind: 'problems'; round: Round; item: ResultItem; problems: ResultAnswerProblem[] }
  | { kind: 'closed'; round: Round; item: ResultItem; answer?: ResultAnswer };

const notParticipant = () => new AppError('NOT_ALLOWED', 'not a principal of this school in the round', { action: 'resultDialogue' });

/**
 * The use cases of a resultatdialog (resultDialogue.ts says what it is):
 * each participant of the round answers for the schools she leads, checked
 * by her own id against the round and the organisation file; the round's
 * owner (a manager or an admin, as for the round itself) reads every
 * school's confirmed answers side by side. A school's indicators are those
 * with a series of the school's own (its goals' indicators and the
 * overarching ones kept per school): a value of the whole organisation is
 * the same for every school and not the school's to explain.
 */
export class ResultDialogueService {
  constructor(
    private readonly organisation: Organisation,
    private readonly answersRepository: ResultAnswerRepository,
    private readonly rounds: FollowUpRepository,
    private readonly followUps: FollowUpService,
    private readonly indicators: IndicatorService,
    /** A confirmed answer refreshes the channel's status card (its counts). */
    private readonly effects: Pick<FollowUpEffects, 'progressChanged'>,
    private readonly clock: SchoolClock,
  ) {}

  /** The school's indicators with the school's own series, in the order `resultat` shows them. */
  async itemsOfSchool(school: School): Promise<ResultItem[]> {
    const results: IndicatorResult[] = await this.indicators.indicatorsForSchool(school.id);
    return results.flatMap(({ indicator, goalTitle, series: [series] }) => (series?.unitId === school.id ? [{ school, indicator, goalTitle, series }] : []));
  }

  /** The schools a participant answers for: those she leads. */
  schoolsOf(participant: Pick<RoundParticipant, 'aadObjectId'>): School[] {
    return this.organisation.schoolsLedBy({ aadObjectId: participant.aadObjectId });
  }

  /** A participant's part: per school she leads, its indicators and answers (for her cards). Empty unless the round is a resultatdialog. */
  async partOf(round: Round, aadObjectId: string): Promise<SchoolPart[]> {
    if (!isResultDialogue(round) || !round.participants.some((p) => p.aadObjectId === aadObjectId)) return [];
    const answers = await this.answersRepository.answers(round.tenantId, round.id);
    return Promise.all(
      this.schoolsOf({ aadObjectId }).map(async (school) => ({
        school,
        items: await this.itemsOfSchool(school),
        answers: answers.filter((answer) => answer.schoolId === school.id),
      })),
    );
  }

  /** The resultatdialog a person answers in now: her newest open one, else her newest; undefined when none. */
  async currentRoundOf(tenantId: string, aadObjectId: string): Promise<Round | undefined> {
    const rows = (await this.rounds.roundsOfTeacher(tenantId, aadObjectId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const rounds = await Promise.all(rows.map(async (row) => (await this.rounds.getRound(tenantId, row.roundId))?.value));
    const ours = rounds.filter((round): round is Round => round !== undefined && isResultDialogue(round) && hasOpened(round));
    return ours.find((round) => round.status === 'open') ?? ours[0];
  }

  /**
   * A principal saves (or confirms) her school's answer on one indicator.
   * Refused unless she is a participant of the round and a principal of
   * the school, and the indicator is the school's. A closed round changes
   * nothing; a form with problems stores nothing. Saving the same values
   * again (a double click, a redelivered activity) leaves one row, and a
   * confirmed answer keeps its first confirmation's time.
   */
  async respond(tenantId: string, person: { aadObjectId: string; name: string }, form: ResultAnswerForm, confirm: boolean): Promise<RespondOutcome> {
    const round = (await this.rounds.getRound(tenantId, form.roundId))?.value;
    if (!round || !isResultDialogue(round)) throw new AppError('NOT_FOUND', 'no such resultatdialog');
    const participant = round.participants.find((p) => p.aadObjectId === person.aadObjectId);
    const school = this.organisation.schoolById(form.schoolId);
    if (!participant || !school || !this.organisation.isPrincipalOf(school, { aadObjectId: person.aadObjectId })) throw notParticipant();
    const item = (await this.itemsOfSchool(school)).find((entry) => entry.indicator.id === form.indicatorId);
    if (!item) throw new AppError('NOT_FOUND', 'not an indicator of the school');
    if (round.status !== 'open') {
      const stored = await this.answersRepository.getAnswer(tenantId, round.id, school.id, item.indicator.id);
      return { kind: 'closed', round, item, ...(stored ? { answer: stored.value } : {}) };
    }
    const checked = checkResultAnswer(form, confirm);
    if ('problems' in checked) return { kind: 'problems', round, item, problems: checked.problems };
    let newlyConfirmed = false;
    const answer = await retryOnStale('result answer', async () => {
      const stored = await this.answersRepository.getAnswer(tenantId, round.id, school.id, item.indicator.id);
      const now = this.clock.now().toISOString();
      const wasConfirmed = stored?.value.status === 'confirmed';
      const next: ResultAnswer = {
        roundId: round.id,
        schoolId: school.id,
        indicatorId: item.indicator.id,
        ...checked.values,
        // A confirmed answer stays confirmed when it is changed; the first confirmation's time is kept.
        status: confirm || wasConfirmed ? 'confirmed' : 'draft',
        writtenBy: { aadObjectId: person.aadObjectId, name: participant.name },
        updatedAt: now,
        ...(wasConfirmed ? { confirmedAt: stored.value.confirmedAt } : confirm ? { confirmedAt: now } : {}),
      };
      await this.answersRepository.saveAnswer(tenantId, next, stored?.eTag);
      newlyConfirmed = confirm && !wasConfirmed;
      return next;
    });
    if (newlyConfirmed) await this.effects.progressChanged(round);
    return { kind: 'saved', round, item, answer };
  }

  /** How many of the round's schools have confirmed every indicator of theirs: counts only, for the channel. */
  async counts(round: Round): Promise<{ done: number; total: number }> {
    const view = await this.gather(round);
    return { done: view.answered, total: view.total };
  }

  /** The side-by-side view, for the round's owner (a manager or an admin); the round must be a resultatdialog. */
  async sideBySide(tenantId: string, roundId: string, actor: Actor): Promise<SideBySide> {
    const round = await this.followUps.ownedRound(tenantId, roundId, actor);
    if (!isResultDialogue(round)) throw new AppError('NOT_FOUND', 'not a resultatdialog');
    return this.gather(round);
  }

  /** The newest resultatdialog of the organisation level that has opened, for its owner; undefined when there is none. */
  async latestFor(tenantId: string, actor: Actor): Promise<SideBySide | undefined> {
    const unit = this.organisation.organisationUnit();
    if (!unit || !this.organisation.mayManage(unit, actor)) {
      throw new AppError('NOT_ALLOWED', 'not the owner of the principals’ målsamtal', { action: 'resultDialogueView', level: 'organisation' });
    }
    const rows = (await this.rounds.roundsOfUnit(tenantId, unit.id)).filter((row) => hasOpened(row)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const row of rows) {
      const round = (await this.rounds.getRound(tenantId, row.roundId))?.value;
      if (round && isResultDialogue(round)) return this.gather(round);
    }
    return undefined;
  }

  /** The view as the closing job sends it to the owner. */
  async sideBySideOf(round: Round): Promise<SideBySide | undefined> {
    return isResultDialogue(round) ? this.gather(round) : undefined;
  }

  private async gather(round: Round): Promise<SideBySide> {
    const answers = (await this.answersRepository.answers(round.tenantId, round.id)).filter((answer) => answer.status === 'confirmed');
    const schools = new Map<string, { school: School; principals: string[] }>();
    for (const participant of round.participants) {
      for (const school of this.schoolsOf(participant)) {
        const entry = schools.get(school.id) ?? { school, principals: [] };
        entry.principals.push(participant.name);
        schools.set(school.id, entry);
      }
    }
    const indicators = new Map<string, SideBySide['indicators'][number]>();
    const notAnswered: SideBySide['notAnswered'] = [];
    for (const { school, principals } of schools.values()) {
      const items = await this.itemsOfSchool(school);
      const mine = answers.filter((answer) => answer.schoolId === school.id);
      for (const item of items) {
        const entry = indicators.get(item.indicator.id) ?? { indicator: item.indicator, goalTitle: item.goalTitle, schools: [] };
        const answer = mine.find((a) => a.indicatorId === item.indicator.id);
        entry.schools.push({ school, series: item.series, ...(answer ? { answer } : {}) });
        indicators.set(item.indicator.id, entry);
      }
      if (!items.every((item) => mine.some((a) => a.indicatorId === item.indicator.id))) notAnswered.push({ school, principals });
    }
    return { round, indicators: [...indicators.values()], answered: schools.size - notAnswered.length, total: schools.size, notAnswered };
  }
}
