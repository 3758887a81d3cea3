import { isAppError } from './errors';
import { advance, type Dialogue, type FlowInput, type FlowResult, type GoalStep, type Participation } from './goalDialogue';
import { isOlderCard } from './goalDialogueForms';
import type { GoalDialogueRepository } from './goalDialogueRepository';
import type { Stored } from './optimistic';

/**
 * A teacher's step, typed or by her card's button, taken in one round trip
 * instead of two (README, performance).
 *
 * Each instance remembers, per teacher, her goals as it last saved them,
 * with the ETag of that save, and the dialogue they belong to
 * (GoalStepMemory). When she types next (an answer or a step command), or
 * clicks a button of her card in that dialogue, the move is computed from
 * what is remembered and saved at once under that ETag, side by side with
 * the reads of her active pointer and of the dialogue (StepAhead). The save succeeding proves that her goals were
 * exactly what was remembered: nothing else (another instance, a second
 * click, the same activity delivered twice, a principal's reminder) wrote
 * them since. So the only things the move may have been computed wrongly
 * against are the two it does not save: the pointer (which dialogue her
 * typing goes to) and the dialogue (closed meanwhile, or otherwise changed).
 *
 * Those are checked before anything is said: the step counts only when the
 * turn's own reading of the pointer leads its route to this dialogue with
 * the same move (teacherAct takes it), and the move computed again against
 * the dialogue as read now is the same move.
 *
 * A card names its dialogue, so its route goes there whatever her pointer
 * says: its move is saved ahead only when the card names the dialogue
 * remembered, and the pointer serves only to vouch for the dialogue (below;
 * one that names another dialogue vouches for nothing, and the dialogue is
 * read). What else a card's move depends on is in her goals, which the
 * save proves: the step the card was made for and the version of her
 * goals it shows (CardOrigin). A card from a step she has left, or from
 * goals confirmed since, is saved ahead as what it is today: her goals
 * unchanged with the activity recorded, answered as an old card in the
 * dialogue as read now (a closed one shows it closed).
 *
 * The pointer vouches for the dialogue, so that it is not read on every
 * step: the instance remembers her pointer's ETag with her goals when the
 * dialogue was seen open after the pointer got that ETag (read once the
 * pointer was, or remembered from a step that found the same ETag). A
 * closing first saves the dialogue closed, then writes every pointer that
 * names it again, unchanged (markActivePointers), and so gives each a new
 * ETag; a closing repeated marks them again (one that died between its
 * save and its marks is completed by the principal's next try). So the
 * same ETag read again proves that no closing has finished since the
 * dialogue was seen open: the dialogue as remembered is the dialogue (the
 * rest of it, the title, goals and deadline, does not change once it is
 * started; the status card's ids are not a step's business). Another ETag,
 * or none, and the dialogue is read and the move checked against it, as
 * above. A step that moved her pointer cannot vouch with the ETag it wrote
 * (the dialogue was read before that write, and a closing may fall in
 * between): the next step reads the dialogue after her pointer, once. Otherwise the save is undone
 * (the goals as they were, under the ETag the save gave) before the turn
 * says anything, and the turn goes on as it would have without it: a
 * closed dialogue is answered as closed, typing goes where the pointer
 * says. That is the same guarantee as reading first and saving after: the
 * step is decided on the pointer and dialogue as read during the turn.
 *
 * Why not make the closing and the pointer's move change her goals' ETag
 * instead: a closing would have to rewrite the goals of everyone writing
 * in the dialogue (a thousand for a large team), and a move that touches
 * the goals before it moves the pointer still races with a step that saves
 * in between; the check is needed either way. A move of the pointer away
 * from a dialogue does touch that dialogue's goals after it (teacherAct), so
 * that what another instance remembers of them fails its save (412) at
 * once instead of being saved and undone.
 *
 * Redelivery and double clicks: the save records the activity's id among
 * her latest activities (it is the activity's claim, once.ts). The same
 * activity delivered again finds its id in what is remembered (nothing is
 * saved ahead) or in what is stored (the save ahead fails with STALE; the
 * step reads and finds it, as before). Two deliveries at once save under
 * the same ETag: one wins. A save ahead that fails with STALE is forgotten
 * and the step reads and retries exactly as without it.
 *
 * The undo: a conditioned write of the goals as they were, under the ETag
 * the save ahead gave. Someone may have written in between: a touch or a
 * principal's reminder (then it is undone on what they wrote), or another
 * step of hers built on it (then it is kept, as a step taken, with the
 * activity recorded: it took effect once, and nothing she wrote is lost).
 * A process that dies between a save ahead and its undo keeps the step
 * (with its activity recorded, so a redelivery does nothing); that needs
 * the pointer's move or the closing to fall within that round trip.
 */

/** Teachers whose goals an instance remembers; the least recently used is forgotten beyond this many. */
const MAX_TEACHERS = 5_000;
/** Dialogues remembered with them (shared: a large team's teachers write in one dialogue). */
const MAX_DIALOGUES = 500;

interface Remembered {
  dialogueId: string;
  participation: Stored<Participation>;
  /** Her pointer's ETag while the dialogue is known open (see PointerVouches); none until a step vouches for it. */
  pointerETag?: string;
}

/** What an instance remembers of a teacher: the dialogue, her goals as saved there, her pointer's ETag if it vouches. */
export interface Recalled {
  dialogue: Dialogue;
  participation: Stored<Participation>;
  pointerETag?: string;
}

/** Per instance: each teacher's goals as this instance last saved them, and their dialogue as last read. */
export class GoalStepMemory {
  private readonly teachers = new Map<string, Remembered>();
  private readonly dialogues = new Map<string, Dialogue>();

  /** After a save that leaves her writing in `dialogue` (open); `pointerETag` when her pointer vouches for it being open. */
  remember(dialogue: Dialogue, saved: Stored<Participation>, pointerETag: string | undefined): void {
    const key = `${dialogue.tenantId}|${saved.value.aadObjectId}`;
    touchLru(this.teachers, key, { dialogueId: dialogue.id, participation: saved, ...(pointerETag ? { pointerETag } : {}) }, MAX_TEACHERS);
    touchLru(this.dialogues, `${dialogue.tenantId}|${dialogue.id}`, dialogue, MAX_DIALOGUES);
  }

  forget(tenantId: string, aadObjectId: string): void {
    this.teachers.delete(`${tenantId}|${aadObjectId}`);
  }

  recall(tenantId: string, aadObjectId: string): Recalled | undefined {
    const remembered = this.teachers.get(`${tenantId}|${aadObjectId}`);
    const dialogue = remembered && this.dialogues.get(`${tenantId}|${remembered.dialogueId}`);
    if (!remembered || !dialogue) return undefined;
    const { participation, pointerETag } = remembered;
    return { dialogue, participation, ...(pointerETag ? { pointerETag } : {}) };
  }
}

function touchLru<T>(map: Map<string, T>, key: string, value: T, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

/** How many of a teacher's latest activities her participation remembers: far more than Teams redelivers in its minutes of retries. */
const HANDLED_ACTIVITIES_KEPT = 20;

/** The participation with the activity recorded among her latest (the save is the activity's claim). */
export function withActivity(participation: Participation, activityId: string | undefined): Participation {
  if (!activityId) return participation;
  return { ...participation, handledActivities: [...(participation.handledActivities ?? []), activityId].slice(-HANDLED_ACTIVITIES_KEPT) };
}

/** Where a click comes from: the step her card was made for (an answer's), the version of her goals it shows. */
export interface CardOrigin {
  cardStep?: { goalIndex: number; step: GoalStep };
  fromCard?: { version?: number };
}

/** A move to save ahead: typed (no card) or a click on her card. */
export interface AheadMove {
  input: FlowInput;
  card?: CardOrigin;
}

/**
 * Whether a card was made for another step than hers, or for goals she has
 * confirmed since: then the click changes nothing (it is stale).
 */
export function leftByCard(participation: Participation, card: CardOrigin | undefined): boolean {
  const { cardStep, fromCard } = card ?? {};
  const otherStep = cardStep && (participation.cursor.goalIndex !== cardStep.goalIndex || participation.cursor.step !== cardStep.step);
  return Boolean(otherStep || (fromCard && isOlderCard(participation, fromCard.version)));
}

/**
 * A step saved ahead, as saved: the goals before it, the move (or `stale`:
 * a card from a step she has left, nothing moved), and the ETag the save gave.
 */
export type SavedAhead = {
  before: Stored<Participation>;
  /** What was saved: the move's participation (or hers unchanged, when stale) with the activity recorded. */
  saved: Stored<Participation>;
  now: Date;
} & ({ stale: false; result: FlowResult } | { stale: true });

/** Writes in between (touches, reminders) an undo goes on after. */
const UNDO_TRIES = 5;

/** Where a step saved ahead stands: not yet taken or undone, taken by the step, undone, or kept after all. */
type AheadState = 'pending' | 'taken' | 'undone' | 'kept';

export class StepAhead {
  private state: AheadState = 'pending';
  private settling: Promise<AheadState> | undefined;
  /** The save ahead: undefined when it lost to another write (STALE); rejects when storage failed. */
  private readonly saved: Promise<SavedAhead | undefined>;
  readonly dialogueId: string;
  private readonly tenantId: string;
  /** True once the save ahead is stored (then the activity's id in those goals is this turn's own until taken). */
  private wrote = false;

  constructor(
    private readonly move: AheadMove,
    activityId: string,
    private readonly repository: GoalDialogueRepository,
    private readonly memory: GoalStepMemory,
    remembered: { dialogue: Dialogue; participation: Stored<Participation> },
    now: Date,
    timeZone: string,
  ) {
    this.dialogueId = remembered.dialogue.id;
    this.tenantId = remembered.dialogue.tenantId;
    const before = remembered.participation;
    // A card from a step she has left moves nothing: only the activity is recorded, as teacherAct does.
    const stale = leftByCard(before.value, move.card);
    const result = stale ? undefined : advance(remembered.dialogue, before.value, move.input, now, timeZone);
    const value = withActivity(result ? result.participation : before.value, activityId);
    this.saved = repository.saveParticipation(value, before.eTag).then(
      (eTag): SavedAhead => {
        this.wrote = true;
        const saved = { value, eTag };
        return result ? { before, stale: false, result, saved, now } : { before, stale: true, saved, now };
      },
      (error: unknown) => {
        memory.forget(remembered.dialogue.tenantId, before.value.aadObjectId);
        if (isAppError(error, 'STALE')) return undefined;
        throw error;
      },
    );
    // Awaited by take or settle; a turn that ends before either (an error) must not leave it unhandled.
    this.saved.catch(() => undefined);
  }

  /**
   * The step's first attempt (teacherAct), when the turn's route came to
   * this dialogue with the same move: the save ahead, if it was saved and
   * the move against the dialogue as read now is the same (a stale card's
   * is whatever the dialogue: nothing moves). Undefined when it does not
   * apply or was undone: the step then reads and saves as usual.
   */
  async take(dialogue: Dialogue, move: AheadMove, timeZone: string): Promise<SavedAhead | undefined> {
    if (this.state !== 'pending' || dialogue.id !== this.dialogueId || !sameAsked(move, this.move)) return undefined;
    let ahead: SavedAhead | undefined;
    try {
      ahead = await this.saved;
    } catch (error) {
      // Not known to be saved or not: the turn fails as a failed save does, and nothing is undone.
      this.state = 'undone';
      throw error;
    }
    if (!ahead) {
      this.state = 'undone';
      return undefined;
    }
    if (ahead.stale || sameMove(advance(dialogue, ahead.before.value, move.input, ahead.now, timeZone), ahead.result)) {
      this.state = 'taken';
      return ahead;
    }
    return (await this.settle()) === 'kept' ? ahead : undefined;
  }

  /** The dialogue whose goals a save ahead wrote, while that write is not taken (the id found there is this turn's own). */
  ownWriteIn(): string | undefined {
    return this.wrote && (this.state === 'pending' || this.state === 'undone') ? this.dialogueId : undefined;
  }

  /**
   * Undoes the save ahead unless the step took it; called before the turn
   * says anything and when it ends. 'kept' when it could not be undone (the
   * step stands, its activity recorded).
   */
  settle(): Promise<AheadState> {
    if (this.state !== 'pending') return Promise.resolve(this.state);
    this.settling ??= this.undo().then((state) => (this.state = state));
    return this.settling;
  }

  private async undo(): Promise<AheadState> {
    let ahead: SavedAhead | undefined;
    try {
      ahead = await this.saved;
    } catch {
      return 'undone';
    }
    if (!ahead) return 'undone';
    const { before, saved } = ahead;
    this.memory.forget(this.tenantId, before.value.aadObjectId);
    let current = saved;
    for (let tries = 0; tries < UNDO_TRIES; tries++) {
      try {
        // A reminder the principal sent in between stays recorded.
        const remindedOn = current.value.remindedOn ?? before.value.remindedOn;
        await this.repository.saveParticipation({ ...before.value, ...(remindedOn ? { remindedOn } : {}) }, current.eTag);
        return 'undone';
      } catch (error) {
        if (!isAppError(error, 'STALE')) throw error;
      }
      const now = await this.repository.getParticipation(this.dialogueId, before.value.aadObjectId);
      if (!now || !sameExceptReminder(now.value, saved.value)) return 'kept';
      current = now;
    }
    return 'kept';
  }
}

/** The same input, from the same card (or both typed). */
function sameAsked(a: AheadMove, b: AheadMove): boolean {
  const asked = ({ input, card }: AheadMove) =>
    JSON.stringify([input, card?.cardStep?.goalIndex, card?.cardStep?.step, card?.fromCard ? { version: card.fromCard.version ?? null } : null]);
  return asked(a) === asked(b);
}

function sameMove(a: FlowResult, b: FlowResult): boolean {
  return a.changed === b.changed && a.confirmed === b.confirmed && JSON.stringify([a.reply, a.participation]) === JSON.stringify([b.reply, b.participation]);
}

function sameExceptReminder(a: Participation, b: Participation): boolean {
  return JSON.stringify({ ...a, remindedOn: undefined }) === JSON.stringify({ ...b, remindedOn: undefined });
}
