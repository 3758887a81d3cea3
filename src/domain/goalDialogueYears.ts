import { mapBounded } from '../parallel';
import { localDateOf } from '../time';
import { type Dialogue, type GoalDraft, goalDraftSchema, MAX_GOALS, type Participation } from './goalDialogue';
import type { DialogueSummary, GoalDialogueRepository } from './goalDialogueRepository';
import { dialogueLevel, type Organisation, type SchoolYear } from './organisation';
import type { SchoolClock } from './schoolClock';

/**
 * Målsamtal by läsår. Every dialogue belongs to one läsår of the
 * organisation file: stored on it when it starts (the läsår its start date
 * falls in, `Organisation.schoolYearOn`: a dialogue started in the summer
 * break belongs to the coming läsår, one started before the last day of a
 * läsår to that läsår; the start form offers no choice, as målsamtal are
 * held in the autumn and a dialogue started in June would invite a team
 * that is about to change). Dialogues stored before the läsår was kept have
 * none and belong to the läsår of their start date; nothing is migrated.
 *
 * A new läsår starts clean: `mina mål` and the goal map show the läsår's
 * own dialogues, and a teacher who confirmed goals the previous läsår may
 * start from them once in a new dialogue (carryOver). Earlier läsår stay
 * readable by their id (`mina mål 2025-26`, `målbild 2025-26`) as long as
 * the organisation file lists them.
 */

/** Documents read at once when a teacher's dialogues of a läsår are gathered. */
const PARALLEL_READS = 8;

/** The läsår a dialogue (or its index row) belongs to: the stored one, else the one its start date falls in. */
export function dialogueSchoolYearId(organisation: Organisation, dialogue: Pick<DialogueSummary, 'schoolYearId' | 'createdAt'>, timeZone: string): string {
  return dialogue.schoolYearId ?? organisation.schoolYearOn(localDateOf(new Date(dialogue.createdAt), timeZone)).id;
}

/** The läsår before `yearId` in the organisation file, if the file lists one. */
export function previousSchoolYear(organisation: Organisation, yearId: string): SchoolYear | undefined {
  const years = organisation.schoolYears();
  const index = years.findIndex((year) => year.id === yearId);
  return index > 0 ? years[index - 1] : undefined;
}

/** What a person may type after `mina mål` or `målbild` to name a läsår. */
const PREVIOUS_WORDS = /^(förra läsåret|förra året|förra läsår|last year|last school year|previous year)$/i;
const YEAR_PREFIX = /^(läsåret|läsår|school year)\s+/i;
/** The argument of a command that names a läsår: the words for the previous one, or an id that starts with a digit ("2025-26", "2025/26"). */
export const SCHOOL_YEAR_ARGUMENT =
  /(förra läsåret|förra året|förra läsår|last year|last school year|previous year|(?:läsåret\s+|läsår\s+|school year\s+)?\d[\w/-]*)/i;

/** A läsår named by a person: found, or unknown with the läsår the organisation file knows. */
export type SchoolYearChoice = { year: SchoolYear } | { unknown: string; known: readonly SchoolYear[] };

/**
 * The läsår named by `words`: empty for the current one, "förra läsåret" /
 * "last year" for the one before it, else an id ("2025-26"; "2025/26" and
 * "2025-2026" read the same) or a läsår's name as the file spells it.
 */
export function chooseSchoolYear(organisation: Organisation, words: string, today: string): SchoolYearChoice {
  const current = organisation.schoolYearOn(today);
  const known = organisation.schoolYears();
  const text = words.trim().replace(/\s+/g, ' ');
  if (!text) return { year: current };
  if (PREVIOUS_WORDS.test(text)) {
    const previous = previousSchoolYear(organisation, current.id);
    return previous ? { year: previous } : { unknown: text, known };
  }
  const named = text.replace(YEAR_PREFIX, '').toLowerCase();
  const id = named.replace('/', '-').replace(/^(\d{4})-\d{2}(\d{2})$/, '$1-$2');
  const year = known.find((entry) => entry.id === id || entry.id === named || entry.name.toLowerCase() === named);
  return year ? { year } : { unknown: named, known };
}

/** A teacher's part in one dialogue of a läsår. */
export interface YearGoals {
  dialogue: Dialogue;
  participation: Participation;
}

/** Last läsår's confirmed goals of a teacher, as a new dialogue may start from them. */
export interface LastYearGoals {
  year: SchoolYear;
  dialogue: Dialogue;
  /** The newest confirmed version's goals. */
  goals: GoalDraft[];
}

/**
 * Last läsår's goals as a draft for `to`: the text as it was, links to
 * school goals kept where `to` offers the goal (by id, so a goal whose
 * wording changed keeps its link), other links dropped and named (their
 * titles as last läsår's dialogue read them). Follow-up questions may be
 * asked again when she edits.
 */
export function carryOver(from: LastYearGoals, to: Pick<Dialogue, 'schoolGoals'>): { goals: GoalDraft[]; droppedLinks: string[] } {
  const offered = new Set(to.schoolGoals.map((goal) => goal.id));
  const titles = new Map(from.dialogue.schoolGoals.map((goal) => [goal.id, goal.title]));
  const dropped = new Set<string>();
  const goals = from.goals.slice(0, MAX_GOALS).map((goal) => {
    for (const id of goal.schoolGoalIds) if (!offered.has(id)) dropped.add(titles.get(id) ?? id);
    return goalDraftSchema.parse({
      schoolGoalIds: goal.schoolGoalIds.filter((id) => offered.has(id)),
      goal: goal.goal,
      how: goal.how,
      evidence: goal.evidence,
      support: goal.support,
      supportSkipped: goal.supportSkipped,
    });
  });
  return { goals, droppedLinks: [...dropped] };
}

/** Reads a person's målsamtal by läsår: `mina mål` of a läsår, the läsår with data, last läsår's goals to start from. */
export class GoalDialogueYears {
  constructor(
    private readonly organisation: Organisation,
    private readonly dialogues: GoalDialogueRepository,
    private readonly clock: SchoolClock,
  ) {}

  today(): string {
    return localDateOf(this.clock.now(), this.clock.timeZone);
  }

  currentYear(): SchoolYear {
    return this.organisation.schoolYearOn(this.today());
  }

  /** The läsår named by a person's words (see chooseSchoolYear). */
  choose(words: string): SchoolYearChoice {
    return chooseSchoolYear(this.organisation, words, this.today());
  }

  yearOf(dialogue: Pick<DialogueSummary, 'schoolYearId' | 'createdAt'>): string {
    return dialogueSchoolYearId(this.organisation, dialogue, this.clock.timeZone);
  }

  /** The läsår of the organisation file, newest first, that hold one of these dialogues. */
  yearsOf(summaries: readonly Pick<DialogueSummary, 'schoolYearId' | 'createdAt'>[]): SchoolYear[] {
    const ids = new Set(summaries.map((summary) => this.yearOf(summary)));
    return this.organisation
      .schoolYears()
      .filter((year) => ids.has(year.id))
      .reverse();
  }

  /** A teacher's dialogues of the läsår with her part in each, newest first; and every läsår she has dialogues in. */
  async teacherGoals(tenantId: string, aadObjectId: string, year: SchoolYear): Promise<{ rows: YearGoals[]; years: SchoolYear[] }> {
    const summaries = await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId);
    const ofYear = summaries.filter((summary) => this.yearOf(summary) === year.id);
    const rows = await mapBounded(ofYear, PARALLEL_READS, async (summary) => {
      const [dialogue, participation] = await Promise.all([
        this.dialogues.getDialogue(tenantId, summary.dialogueId),
        this.dialogues.getParticipation(summary.dialogueId, aadObjectId),
      ]);
      return dialogue && participation ? { dialogue: dialogue.value, participation: participation.value } : undefined;
    });
    return { rows: rows.filter((row): row is YearGoals => row !== undefined), years: this.yearsOf(summaries) };
  }

  /**
   * The goals she confirmed in the läsår before `dialogue`'s, in a dialogue
   * of the same level (a teacher's with her school, a principal's with the
   * managers): the newest such dialogue's newest confirmed version.
   * Undefined when she confirmed none, or the file lists no earlier läsår.
   */
  async lastYearGoals(tenantId: string, aadObjectId: string, dialogue: Dialogue): Promise<LastYearGoals | undefined> {
    const year = previousSchoolYear(this.organisation, this.yearOf(dialogue));
    if (!year) return undefined;
    const summaries = (await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId)).filter(
      (summary) => summary.dialogueId !== dialogue.id && this.yearOf(summary) === year.id,
    );
    for (const summary of summaries) {
      const [earlier, participation] = await Promise.all([
        this.dialogues.getDialogue(tenantId, summary.dialogueId),
        this.dialogues.getParticipation(summary.dialogueId, aadObjectId),
      ]);
      if (!earlier || !participation || participation.value.versions === 0) continue;
      if (dialogueLevel(earlier.value) !== dialogueLevel(dialogue)) continue;
      const [newest] = await this.dialogues.versions(summary.dialogueId, aadObjectId, participation.value.versions).then((all) => all.slice(-1));
      if (newest && newest.goals.length > 0) return { year, dialogue: earlier.value, goals: newest.goals };
    }
    return undefined;
  }
}
