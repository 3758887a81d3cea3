import { AppError, isAppError } from './errors';
import { advance, type Dialogue, type FlowInput, type FlowResult, type GoalStep, type Participation } from './goalDialogue';
import type { ActivePointerRow, GoalDialogueRepository } from './goalDialogueRepository';
import type { GoalDialogueEffects } from './goalDialogueService';
import { changeStored, retryOnStale, type Stored } from './optimistic';
import { type CardOrigin, GoalStepMemory, leftByCard, StepAhead, withActivity } from './goalStepAhead';
import { proposalOf } from './cascadeFocus';
import type { GoalChainService } from './goalChain';
import type { SchoolClock } from './schoolClock';

/**
 * The teacher's path through her goals in a dialogue: which dialogue her
 * words go to, her step read (or saved ahead), each move saved under her
 * participation's ETag, and her confirmed goals as other work offers them.
 * GoalDialogueService (goalDialogueService.ts) adds the principal's start
 * and reads to these, so that one service is built and shared.
 */

/** Reads the active pointer, with its ETag, once for a turn (memoised by the caller). */
export type ActivePointer = () => Promise<ActivePointerRow | undefined>;

export interface TeacherActOptions {
  /** The goal and step the submitted card was made for. */
  cardStep?: { goalIndex: number; step: GoalStep };
  /** The turn's reading of the teacher's active pointer. */
  active?: ActivePointer;
  /** Set for a card action: the version of the goals the card was made with, if it names one (isOlderCard). */
  fromCard?: { version?: number };
  /**
   * The activity that asks for the move (its id in the teacher's 1:1 chat):
   * the save records it, whatever the move, and that save is the activity's
   * claim; an activity recorded already comes back `redelivered`.
   */
  activityId?: string;
  /** The participation as read with the dialogue (teacherStep): the first try starts from it. */
  read?: Stored<Participation>;
  /** Her pointer, when it vouches for the dialogue being open (TeacherStep.pointer): remembered with her goals. */
  pointer?: ActivePointerRow;
  /** The move saved ahead for this turn (stepAhead): the first try, when it is this move in this dialogue. */
  ahead?: StepAhead;
}

/**
 * A move made (or not, `changed` false), or a card made for a step the
 * teacher has left (`stale`, nothing changed), or an activity that took
 * effect before (`redelivered`: nothing changed, nothing to answer).
 */
export type TeacherActResult =
  | (FlowResult & { dialogue: Dialogue; stale: false; redelivered?: undefined })
  | { stale: true; participation: Participation; dialogue: Dialogue; redelivered?: true };

/** A teacher's dialogue with her participation in it, read side by side (none yet while the start job creates them). */
export interface TeacherStep {
  dialogue: Dialogue;
  participation?: Stored<Participation>;
  /**
   * Her pointer naming this dialogue, when it vouches for the dialogue as
   * given being the dialogue now: read before the dialogue was, or found
   * with the ETag of a pointer that vouched before (goalStepAhead.ts).
   */
  pointer?: ActivePointerRow;
}

/**
 * A teacher's step read ahead (stepAhead): the dialogue she was writing in
 * when this instance last saw her, read before her pointer is known, with
 * her move saved ahead (`saved`) or else her goals read. A typed step uses
 * it only when the pointer names that dialogue; a click, when her card
 * names it.
 */
export interface ReadAhead {
  dialogueId: string;
  /** The dialogue (and her goals, unless her move is saved ahead) read; none when `known`. */
  step?: Promise<TeacherStep | undefined>;
  saved?: StepAhead;
  /** The dialogue as remembered, known to be open while her pointer keeps this ETag: nothing is read for it. */
  known?: { dialogue: Dialogue; pointerETag: string };
}

/**
 * How long a teacher's confirmed goals, as a check-in offers them, are kept
 * in memory: confirming on this instance forgets them at once; a
 * confirmation on another instance shows after this long at most.
 */
const GOAL_CHOICES_KEPT_MS = 5 * 60_000;
const MAX_GOAL_CHOICES_KEPT = 10_000;

export class GoalDialogueSteps {
  private readonly goalChoices = new Map<string, { goals: { id: string; text: string }[]; at: number }>();
  /** Per teacher: her goals as saved at her last step here, for her next (goalStepAhead.ts); her pointer and the dialogue decide. */
  private readonly stepMemory = new GoalStepMemory();

  constructor(
    protected readonly dialogues: GoalDialogueRepository,
    protected readonly effects: GoalDialogueEffects,
    protected readonly clock: SchoolClock,
    /** Turns a principal's confirmed goals into the school's, where the organisation lets principals own them. */
    private readonly chain?: GoalChainService,
  ) {}

  /**
   * The dialogue a teacher's words go to: the given one, else the active one, else the newest open one.
   * `active` is the turn's one reading of the active pointer (read here when not given).
   */
  async teacherDialogue(tenantId: string, aadObjectId: string, dialogueId?: string, active?: ActivePointer): Promise<Dialogue | undefined> {
    const { id } = await this.teacherDialogueId(tenantId, aadObjectId, dialogueId, active);
    if (!id) return undefined;
    const dialogue = (await this.dialogues.getDialogue(tenantId, id))?.value;
    // Only a participant may act on a dialogue, whatever a card submission claims.
    if (!dialogue || !dialogue.participants.some((person) => person.aadObjectId === aadObjectId)) return undefined;
    return dialogue;
  }

  /** The dialogue's id, and her pointer when it was read for it (before anything of the dialogue is). */
  private async teacherDialogueId(
    tenantId: string,
    aadObjectId: string,
    dialogueId?: string,
    active?: ActivePointer,
  ): Promise<{ id: string | undefined; pointer?: ActivePointerRow }> {
    if (dialogueId) return { id: dialogueId };
    const pointer = await (active ?? (() => this.dialogues.activePointerOf(tenantId, aadObjectId)))();
    if (pointer) return { id: pointer.dialogueId, pointer };
    return { id: (await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId)).find((summary) => summary.status === 'open')?.dialogueId };
  }

  /**
   * Like teacherDialogue, with her participation read side by side with the
   * dialogue (one round trip instead of two, on a teacher's every step).
   * `readAhead`: what the turn started reading before it knew the dialogue,
   * used when it is the dialogue found.
   */
  async teacherStep(
    tenantId: string,
    aadObjectId: string,
    where: { dialogueId?: string; active?: ActivePointer; readAhead?: ReadAhead } = {},
  ): Promise<TeacherStep | undefined> {
    const found = await this.teacherDialogueId(tenantId, aadObjectId, where.dialogueId, where.active);
    const { id } = found;
    let { pointer } = found;
    if (!id) return undefined;
    const ahead = where.readAhead?.dialogueId === id ? where.readAhead : undefined;
    if (ahead?.known) {
      // Her pointer as it was when the dialogue was known open: nothing closed it since (goalStepAhead.ts).
      pointer ??= await where.active?.();
      if (pointer?.dialogueId === id && pointer.eTag === ahead.known.pointerETag) return { dialogue: ahead.known.dialogue, pointer };
    } else if (ahead?.step) return ahead.step;
    // Her goals saved ahead are not read: a read now might find that save, not yet taken or undone.
    const participation = ahead?.saved ? Promise.resolve(undefined) : this.dialogues.getParticipation(id, aadObjectId);
    const step = await this.readStep(tenantId, aadObjectId, id, participation);
    // Read after her pointer: that pointer vouches for the dialogue as read.
    return step && pointer?.dialogueId === id ? { ...step, pointer } : step;
  }

  /**
   * Starts the teacher's step in the dialogue she was writing in at her
   * last step on this instance, while her pointer is read: `move` (typed
   * text's answer or a step command, or a click on her card with where the
   * card comes from) is saved ahead under the ETag of her goals as saved
   * then, side by side with the read of the dialogue, so that the step
   * waits for one round trip, not two (goalStepAhead.ts says why that is
   * safe); without a move, or for an activity recorded already, her goals
   * are read instead. Undefined when this instance has not seen her write,
   * or her card names another dialogue; a dialogue that turns out not to be
   * the pointer's costs its reads and the undoing of the save.
   */
  stepAhead(
    tenantId: string,
    aadObjectId: string,
    active: ActivePointer,
    move?: { input: FlowInput; activityId: string; card?: CardOrigin & { dialogueId: string } },
  ): ReadAhead | undefined {
    const remembered = this.stepMemory.recall(tenantId, aadObjectId);
    if (!remembered) return undefined;
    const dialogueId = remembered.dialogue.id;
    // A card goes to the dialogue it names: another one is read as without memory.
    if (move?.card && move.card.dialogueId !== dialogueId) return undefined;
    const handled = move && remembered.participation.value.handledActivities?.includes(move.activityId);
    if (!move || handled) {
      const step = this.readStep(tenantId, aadObjectId, dialogueId, this.dialogues.getParticipation(dialogueId, aadObjectId));
      // Used or not: a failed read here is read again (or reported) by the step itself.
      step.catch(() => undefined);
      return { dialogueId, step };
    }
    const saved = new StepAhead(
      { input: move.input, ...(move.card ? { card: move.card } : {}) },
      move.activityId,
      this.dialogues,
      this.stepMemory,
      remembered,
      this.clock.now(),
      this.clock.timeZone,
    );
    const { pointerETag } = remembered;
    if (pointerETag) return { dialogueId, saved, known: { dialogue: remembered.dialogue, pointerETag } };
    // Not known open since her pointer was last written: read once her pointer is, so that it vouches from now on.
    const step = active().then(async (pointer) => {
      const names = pointer?.dialogueId === dialogueId;
      // Typed text goes where her pointer says; a card to its dialogue, which a pointer naming another does not vouch for.
      if (!names && !move.card) return undefined;
      const read = await this.readStep(tenantId, aadObjectId, dialogueId, Promise.resolve(undefined));
      return read && names ? { ...read, pointer } : read;
    });
    step.catch(() => undefined);
    return { dialogueId, step, saved };
  }

  /** The dialogue read side by side with `reading` (her participation, or nothing when her move is saved ahead). */
  private async readStep(
    tenantId: string,
    aadObjectId: string,
    id: string,
    reading: Promise<Stored<Participation> | undefined>,
  ): Promise<TeacherStep | undefined> {
    const [stored, participation] = await Promise.all([this.dialogues.getDialogue(tenantId, id), reading]);
    const dialogue = stored?.value;
    // Only a participant may act on a dialogue, whatever a card submission claims.
    if (!dialogue || !dialogue.participants.some((person) => person.aadObjectId === aadObjectId)) return undefined;
    return { dialogue, participation };
  }

  /**
   * The dialogue whose goals the teacher is writing now, if any: her typed
   * text is an answer to it. The active pointer is kept exactly while she
   * writes: set by every move that leaves her writing, cleared by pause,
   * cancel and confirm.
   */
  activeDialogueOf(tenantId: string, aadObjectId: string): Promise<string | undefined> {
    return this.dialogues.activeDialogueOf(tenantId, aadObjectId);
  }

  /** The same, with the ETag of her pointer (a step saved ahead is checked against it: goalStepAhead.ts). */
  activePointerOf(tenantId: string, aadObjectId: string): Promise<ActivePointerRow | undefined> {
    return this.dialogues.activePointerOf(tenantId, aadObjectId);
  }

  /**
   * One move of a teacher in their own goals. The participation is keyed by
   * the acting teacher's own id, never by anything the card sent.
   *
   * `options.cardStep`: the step the card was made for. It is checked
   * against the stored participation inside the retry, so that a card
   * delivered twice, or two answers at the same moment, apply once: the
   * other finds the participation moved on and comes back `stale`, with
   * nothing changed. `options.active`: the turn's reading of the active
   * pointer, which is written only when the move changes it.
   *
   * `options.activityId`: the participation's save is the activity's claim
   * (once.ts). It is saved with the activity recorded even when the move
   * changes nothing else (a refused answer, a card from another step), so
   * that a redelivery, or the same activity delivered twice at once, finds
   * it (at once, or on the retry after the other's save) and comes back
   * `redelivered`. The save comes before the active pointer's write, so a
   * redelivery that no longer finds her writing still finds the activity
   * among her participations (handledActivity).
   *
   * `options.ahead`: the move saved ahead for this turn (stepAhead), taken
   * as the first try when it is this move (from the same card) in this
   * dialogue and the dialogue as read now gives the same move; otherwise it is undone and the move is
   * read and saved as above (goalStepAhead.ts). A move that takes her
   * pointer from another dialogue touches her goals there, so that another
   * instance's memory of them fails its save ahead at once.
   */
  async teacherAct(dialogue: Dialogue, aadObjectId: string, input: FlowInput, options: TeacherActOptions = {}): Promise<TeacherActResult> {
    const { cardStep, fromCard, activityId } = options;
    let read = options.read;
    const card: CardOrigin = { ...(cardStep ? { cardStep } : {}), ...(fromCard ? { fromCard } : {}) };
    const ahead = await options.ahead?.take(dialogue, { input, card }, this.clock.timeZone);
    // Another turn of the same teacher may save first: the move is then applied to what it saved.
    const attempt = ahead
      ? ahead.stale
        ? { stale: true as const, participation: ahead.before.value }
        : { stale: false as const, stored: ahead.before, result: ahead.result, now: ahead.now, saved: ahead.saved }
      : await retryOnStale('goals', async () => {
          const stored = read ?? (await this.dialogues.getParticipation(dialogue.id, aadObjectId));
          read = undefined;
          if (!stored) throw new AppError('NOT_FOUND', 'no participation');
          if (activityId && stored.value.handledActivities?.includes(activityId)) {
            return { stale: true as const, redelivered: true as const, participation: stored.value };
          }
          if (leftByCard(stored.value, card)) {
            if (activityId) await this.dialogues.saveParticipation(withActivity(stored.value, activityId), stored.eTag);
            return { stale: true as const, participation: stored.value };
          }
          const now = this.clock.now();
          const result = advance(dialogue, stored.value, input, now, this.clock.timeZone);
          const value = withActivity(result.participation, activityId);
          const saved = result.changed || activityId ? { value, eTag: await this.dialogues.saveParticipation(value, stored.eTag) } : undefined;
          return { stale: false as const, stored, result, now, saved };
        });
    if (attempt.stale) {
      // Her goals as this instance remembers them may be older than these: forgotten.
      this.stepMemory.forget(dialogue.tenantId, aadObjectId);
      const redelivered = 'redelivered' in attempt ? { redelivered: true as const } : {};
      return { stale: true, participation: attempt.participation, dialogue, ...redelivered };
    }
    const { stored, result, now, saved } = attempt;
    if (!result.changed) {
      this.stepMemory.forget(dialogue.tenantId, aadObjectId);
      return { ...result, dialogue, stale: false };
    }
    const stillWriting = !result.participation.paused && result.reply.kind !== 'confirmed';
    const pointer = stillWriting ? dialogue.id : undefined;
    const activeRow = await (options.active ?? (() => this.dialogues.activePointerOf(dialogue.tenantId, aadObjectId)))();
    const active = activeRow?.dialogueId;
    if (pointer !== active) {
      await this.dialogues.setActiveDialogue(dialogue.tenantId, aadObjectId, pointer);
      // What another instance remembers of the goals her pointer left is saved ahead no more (goalStepAhead.ts).
      if (active && active !== dialogue.id) await this.touchGoals(active, aadObjectId);
    }
    // Her pointer vouches for the dialogue while it keeps the ETag it had when the dialogue was read (goalStepAhead.ts).
    const vouching = pointer === active && options.pointer?.dialogueId === dialogue.id && options.pointer.eTag === activeRow?.eTag;
    if (pointer && saved && dialogue.status === 'open') this.stepMemory.remember(dialogue, saved, vouching ? options.pointer?.eTag : undefined);
    else this.stepMemory.forget(dialogue.tenantId, aadObjectId);
    if (result.confirmed) {
      this.goalChoices.delete(`${dialogue.tenantId}|${aadObjectId}`);
      const p = result.participation;
      await this.dialogues.saveVersion(dialogue.id, aadObjectId, {
        version: p.versions,
        confirmedAt: p.confirmedAt ?? now.toISOString(),
        late: p.late,
        goals: p.goals,
      });
      await this.chain?.adoptOnConfirm(dialogue, aadObjectId, p.goals, proposalOf(p));
      await this.effects.goalsConfirmed(dialogue, p);
    }
    if (result.confirmed || stored.value.status !== result.participation.status) await this.effects.progressChanged(dialogue);
    return { ...result, dialogue, stale: false };
  }

  /** Saves her goals in a dialogue unchanged, so that their ETag changes. */
  private async touchGoals(dialogueId: string, aadObjectId: string): Promise<void> {
    try {
      await changeStored(
        'goals',
        () => this.dialogues.getParticipation(dialogueId, aadObjectId),
        async (value, eTag) => {
          await this.dialogues.saveParticipation(value, eTag);
        },
        () => undefined,
      );
    } catch (error) {
      if (!isAppError(error, 'NOT_FOUND')) throw error;
    }
  }

  async participation(dialogue: Dialogue, aadObjectId: string): Promise<Participation | undefined> {
    return (await this.dialogues.getParticipation(dialogue.id, aadObjectId))?.value;
  }

  async teacherDialogues(tenantId: string, aadObjectId: string): Promise<{ dialogue: Dialogue; participation: Participation }[]> {
    const summaries = await this.dialogues.dialoguesOfTeacher(tenantId, aadObjectId);
    const rows = await Promise.all(
      summaries.map(async (summary) => {
        const dialogue = (await this.dialogues.getDialogue(tenantId, summary.dialogueId))?.value;
        const participation = dialogue && (await this.participation(dialogue, aadObjectId));
        return dialogue && participation ? { dialogue, participation } : undefined;
      }),
    );
    return rows.filter((row): row is { dialogue: Dialogue; participation: Participation } => row !== undefined);
  }

  /**
   * A teacher's confirmed goals across their dialogues of this läsår, for
   * linking other work (a check-in answer) to them: id = dialogue id and
   * goal number. Last läsår's goals are not what this year's work serves.
   */
  async confirmedGoals(tenantId: string, aadObjectId: string): Promise<{ id: string; text: string }[]> {
    // Kept for a while: a member answering a check-in would otherwise read every dialogue of theirs on each answer.
    const key = `${tenantId}|${aadObjectId}`;
    const now = this.clock.now().getTime();
    const cached = this.goalChoices.get(key);
    if (cached && now - cached.at < GOAL_CHOICES_KEPT_MS) return cached.goals;
    const goals = await this.readConfirmedGoals(tenantId, aadObjectId);
    this.goalChoices.delete(key);
    this.goalChoices.set(key, { goals, at: now });
    if (this.goalChoices.size > MAX_GOAL_CHOICES_KEPT) this.goalChoices.delete(this.goalChoices.keys().next().value!);
    return goals;
  }

  /** Whether a dialogue belongs to the läsår of today; the service that knows the organisation's läsår says. */
  protected ofCurrentSchoolYear(_dialogue: Dialogue): boolean {
    return true;
  }

  private async readConfirmedGoals(tenantId: string, aadObjectId: string): Promise<{ id: string; text: string }[]> {
    const rows = await this.teacherDialogues(tenantId, aadObjectId);
    return rows
      .filter(({ dialogue, participation }) => participation.status === 'done' && this.ofCurrentSchoolYear(dialogue))
      .flatMap(({ dialogue, participation }) =>
        participation.goals.map((goal, index) => ({ id: `${dialogue.id}:${index + 1}`, text: `${dialogue.title}: ${goal.goal ?? ''}`.slice(0, 120) })),
      );
  }
}
