import type { Dialogue, GoalDraft, Participation } from './goalDialogue';
import type { Stored } from './optimistic';

/** A confirmed version of a teacher's goals, kept when they confirm or re-confirm. */
export interface GoalsVersion {
  version: number;
  confirmedAt: string;
  late: boolean;
  goals: GoalDraft[];
}

/** The principal's private notes from the talk with one teacher. */
export interface TalkNotes {
  notes: string;
  talkHeldOn?: string;
  updatedAt: string;
}

export interface DialogueSummary {
  dialogueId: string;
  title: string;
  status: Dialogue['status'];
  deadline: string;
  createdAt: string;
  /** The dialogue's läsår; none on rows written before läsår were kept (see dialogueSchoolYearId). */
  schoolYearId?: string;
}

/**
 * A teacher's active pointer as stored: the dialogue her typed answers go
 * to, with the ETag of the row. Every write of the row changes the ETag,
 * the mark of a closing too (markActivePointers), so the same ETag read
 * twice means nothing wrote it in between (goalStepAhead.ts).
 */
export interface ActivePointerRow {
  dialogueId: string;
  eTag: string;
}

export interface GoalDialogueRepository {
  /**
   * Creates the dialogue and its school's index row, after the given
   * participations (addParticipations); CONFLICT when the id exists. A
   * large team's participations are added afterwards, in batches, by the
   * dialogue's start job.
   */
  createDialogue(dialogue: Dialogue, participations: Participation[]): Promise<void>;
  /**
   * Creates the participations that do not exist yet, and the teachers'
   * index rows. One that exists is kept as it is (its teacher may be writing
   * already), so a batch written again after a crash changes nothing.
   */
  addParticipations(dialogue: Dialogue, participations: Participation[]): Promise<void>;
  getDialogue(tenantId: string, dialogueId: string): Promise<Stored<Dialogue> | undefined>;
  /** Fails with STALE when the dialogue changed since it was read. The index rows are rewritten only when what they show changed. */
  saveDialogue(dialogue: Dialogue, eTag: string): Promise<void>;
  dialoguesOfSchool(tenantId: string, schoolId: string): Promise<DialogueSummary[]>;
  dialoguesOfTeacher(tenantId: string, aadObjectId: string): Promise<DialogueSummary[]>;

  getParticipation(dialogueId: string, aadObjectId: string): Promise<Stored<Participation> | undefined>;
  /** Fails with STALE when the participation changed since it was read; returns the ETag it is saved under. */
  saveParticipation(participation: Participation, eTag: string): Promise<string>;
  participations(dialogue: Dialogue): Promise<Participation[]>;

  saveVersion(dialogueId: string, aadObjectId: string, version: GoalsVersion): Promise<void>;
  versions(dialogueId: string, aadObjectId: string, count: number): Promise<GoalsVersion[]>;

  getNotes(dialogueId: string, aadObjectId: string): Promise<TalkNotes | undefined>;
  saveNotes(dialogueId: string, aadObjectId: string, notes: TalkNotes): Promise<void>;

  /** Which dialogue a teacher's typed answers go to, if any. */
  activeDialogueOf(tenantId: string, aadObjectId: string): Promise<string | undefined>;
  /** The same, with the row's ETag. */
  activePointerOf(tenantId: string, aadObjectId: string): Promise<ActivePointerRow | undefined>;
  /**
   * Writes every pointer that names the dialogue again, unchanged, so that
   * its ETag changes (a closing: goalStepAhead.ts). A pointer that another
   * write changed or removed meanwhile is left as that write left it.
   */
  markActivePointers(tenantId: string, dialogueId: string): Promise<void>;
  setActiveDialogue(tenantId: string, aadObjectId: string, dialogueId: string | undefined): Promise<void>;
}
