import { mapBounded } from '../parallel';
import { localDateOf } from '../time';
import { AppError } from './errors';
import { type Dialogue, moveDialogue, type Participation, participantState, type ParticipantState, unfinished } from './goalDialogue';
import type { GoalDialogueRepository } from './goalDialogueRepository';
import type { GoalDialogueEffects, GoalDialogueService } from './goalDialogueService';
import { changeStored, retryOnStale } from './optimistic';
import type { Actor, Organisation } from './organisation';
import type { SchoolClock } from './schoolClock';

/**
 * The principal's hand on running dialogues: the overview of who has
 * written and when, closing (after a confirmation that shows the numbers),
 * opening again, and a reminder to one teacher. Authorization as for
 * everything a principal manages: the dialogue's school, checked here.
 *
 * Every effect follows a change of stored state, decided inside its ETag
 * retry: a double click or a second instance finds the state moved
 * already, and nothing follows twice.
 */

/** What closing, reopening and reminding set going (implemented in src/effects/goalDialogueNotices.ts). */
export interface GoalDialogueLifecycleEffects {
  /** Closed now: the teachers who had not finished are told in 1:1 (once per closing). */
  dialogueClosed(dialogue: Dialogue, unfinished: Participation[]): Promise<void>;
  /** Opened again: the teachers who had not finished are told they can go on (once per reopening). */
  dialogueReopened(dialogue: Dialogue, unfinished: Participation[]): Promise<void>;
  /** The principal's reminder to one teacher, on the school's local `day` (one a day). */
  reminderRequested(dialogue: Dialogue, participation: Participation, day: string): Promise<void>;
}

/** One participant as the principal's overview shows them. */
export interface ParticipantRow {
  person: Dialogue['participants'][number];
  state: ParticipantState;
  participation?: Participation;
  /** The day of the talk, from the principal's notes. */
  talkHeldOn?: string;
}

export interface DialogueOverview {
  dialogue: Dialogue;
  done: number;
  participants: ParticipantRow[];
}

/** What closing would leave: how many of the participants have not confirmed their goals. */
export interface ClosingCount {
  dialogue: Dialogue;
  total: number;
  unfinished: number;
}

export type ReminderOutcome = 'sent' | 'alreadyToday' | 'finished' | 'closed';

/** Reads of the notes at once while the overview is built. */
const PARALLEL_NOTES = 16;

export class GoalDialogueManagement {
  constructor(
    private readonly organisation: Organisation,
    private readonly goals: GoalDialogueService,
    private readonly dialogues: GoalDialogueRepository,
    private readonly effects: Pick<GoalDialogueEffects, 'progressChanged'> & GoalDialogueLifecycleEffects,
    private readonly clock: SchoolClock,
  ) {}

  /** Every dialogue of the actor's schools, newest first, with each participant's state, dates and talk. */
  async overview(tenantId: string, actor: Actor, unreachable: (dialogue: Dialogue) => Promise<ReadonlyMap<string, string>>): Promise<DialogueOverview[]> {
    const dialogues = await this.goals.principalDialogues(tenantId, actor);
    return Promise.all(
      dialogues.map(async (dialogue) => {
        const [participations, missing] = await Promise.all([this.dialogues.participations(dialogue), unreachable(dialogue)]);
        const byTeacher = new Map(participations.map((p) => [p.aadObjectId, p]));
        const talks = await this.talkDays(dialogue);
        const participants = dialogue.participants.map((person): ParticipantRow => {
          const participation = byTeacher.get(person.aadObjectId);
          const talkHeldOn = talks.get(person.aadObjectId);
          return {
            person,
            state: participantState(participation, !missing.has(person.aadObjectId)),
            ...(participation ? { participation } : {}),
            ...(talkHeldOn ? { talkHeldOn } : {}),
          };
        });
        const done = participants.filter((row) => row.state === 'done' || row.state === 'late').length;
        return { dialogue, done, participants };
      }),
    );
  }

  /** The days of the talks held, from the principal's notes, by teacher. */
  private async talkDays(dialogue: Dialogue): Promise<Map<string, string>> {
    const days = await mapBounded(dialogue.participants, PARALLEL_NOTES, async (person) => {
      const notes = await this.dialogues.getNotes(dialogue.id, person.aadObjectId);
      return [person.aadObjectId, notes?.talkHeldOn] as const;
    });
    return new Map(days.filter((entry): entry is readonly [string, string] => Boolean(entry[1])));
  }

  /** The numbers the principal confirms before closing. */
  async closing(tenantId: string, dialogueId: string, actor: Actor): Promise<ClosingCount> {
    const dialogue = await this.goals.managedDialogue(tenantId, dialogueId, actor);
    const done = new Set((await this.dialogues.participations(dialogue)).filter((p) => p.status === 'done').map((p) => p.aadObjectId));
    const total = dialogue.participants.length;
    return { dialogue, total, unfinished: dialogue.participants.filter((person) => !done.has(person.aadObjectId)).length };
  }

  /** Closes an open dialogue; `changed` false when it was closed already (nothing is told twice). */
  close(tenantId: string, dialogueId: string, actor: Actor): Promise<{ dialogue: Dialogue; changed: boolean }> {
    return this.move(tenantId, dialogueId, actor, 'closed');
  }

  /** Opens a closed dialogue again: those who had not finished can go on; `changed` false when it was open already. */
  reopen(tenantId: string, dialogueId: string, actor: Actor): Promise<{ dialogue: Dialogue; changed: boolean }> {
    return this.move(tenantId, dialogueId, actor, 'open');
  }

  private async move(tenantId: string, dialogueId: string, actor: Actor, to: Dialogue['status']): Promise<{ dialogue: Dialogue; changed: boolean }> {
    await this.goals.managedDialogue(tenantId, dialogueId, actor);
    let changed = false;
    const dialogue = await changeStored(
      'dialogue',
      () => this.dialogues.getDialogue(tenantId, dialogueId),
      (value, eTag) => this.dialogues.saveDialogue(value, eTag),
      (value) => {
        changed = moveDialogue(value, to, this.clock.now());
      },
    );
    // Closed: every pointer to it is written again, so that no step saved ahead takes it for open (goalStepAhead.ts).
    // Also when it was closed already: a closing that failed after its save is completed by the next.
    if (to === 'closed') await this.dialogues.markActivePointers(tenantId, dialogueId);
    if (!changed) return { dialogue, changed };
    const left = unfinished(await this.dialogues.participations(dialogue));
    if (to === 'closed') await this.effects.dialogueClosed(dialogue, left);
    else await this.effects.dialogueReopened(dialogue, left);
    await this.effects.progressChanged(dialogue);
    return { dialogue, changed };
  }

  /** The principal reminds one teacher who has not finished: one 1:1 reminder a day at most. */
  async remind(tenantId: string, dialogueId: string, teacher: string, actor: Actor): Promise<{ dialogue: Dialogue; outcome: ReminderOutcome }> {
    const dialogue = await this.goals.managedDialogue(tenantId, dialogueId, actor);
    if (dialogue.status !== 'open') return { dialogue, outcome: 'closed' };
    const today = localDateOf(this.clock.now(), this.clock.timeZone);
    const decided = await retryOnStale('participation', async () => {
      const stored = await this.dialogues.getParticipation(dialogue.id, teacher);
      // No participation yet: not invited yet (or not a participant), so nothing to remind of.
      if (!stored) throw new AppError('NOT_FOUND', 'not a participant');
      if (stored.value.status === 'done') return { outcome: 'finished' as const };
      if (stored.value.remindedOn === today) return { outcome: 'alreadyToday' as const };
      const participation: Participation = { ...stored.value, remindedOn: today };
      await this.dialogues.saveParticipation(participation, stored.eTag);
      return { outcome: 'sent' as const, participation };
    });
    if (decided.outcome === 'sent') await this.effects.reminderRequested(dialogue, decided.participation, today);
    return { dialogue, outcome: decided.outcome };
  }

  /**
   * How many teachers have goals (confirmed or drafts) that link to a school
   * goal in the school's open dialogues: shown before the goal is retired.
   */
  async teachersLinkedTo(tenantId: string, schoolId: string, goalId: string, actor: Actor): Promise<number> {
    const school = this.organisation.schoolById(schoolId);
    if (!school) throw new AppError('NOT_FOUND', 'no such school');
    if (!this.organisation.mayManage(school, actor)) throw new AppError('NOT_ALLOWED', 'not the principal', { action: 'editGoals' });
    const open = (await this.dialogues.dialoguesOfSchool(tenantId, school.id)).filter((summary) => summary.status === 'open');
    const teachers = new Set<string>();
    for (const summary of open) {
      const dialogue = (await this.dialogues.getDialogue(tenantId, summary.dialogueId))?.value;
      if (!dialogue?.schoolGoals.some((goal) => goal.id === goalId)) continue;
      for (const p of await this.dialogues.participations(dialogue)) {
        if (p.goals.some((goal) => goal.schoolGoalIds.includes(goalId))) teachers.add(p.aadObjectId);
      }
    }
    return teachers.size;
  }
}
