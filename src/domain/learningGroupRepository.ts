import type { Stored } from './optimistic';
import type { Answer, CheckIn, Group } from './learningGroup';

export interface GroupSummary {
  groupId: string;
  name: string;
  createdAt: string;
}

/** A group across schools as the organisation's lists show it (the goal map): never its members' names or answers. */
export interface GroupAcrossSchools {
  groupId: string;
  name: string;
  kind: Group['kind'];
  /** The development area it works on; none for a förstelärarnätverk, say. */
  areaId?: string;
  members: number;
  /** The läsår it belongs to; none for a group from before läsår were kept (its createdAt says). */
  schoolYearId?: string;
  createdAt: string;
}

export interface CheckInSummary {
  checkInId: string;
  meetingId: string;
  phase: CheckIn['phase'];
  status: CheckIn['status'];
  postedAt: string;
}

export interface LearningGroupRepository {
  /** Creates the group and enters it in its conversation's index. */
  createGroup(group: Group): Promise<void>;
  getGroup(tenantId: string, groupId: string): Promise<Stored<Group> | undefined>;
  /** Fails with STALE when the group changed since it was read. */
  saveGroup(group: Group, eTag: string): Promise<void>;
  groupsInConversation(tenantId: string, conversationId: string): Promise<GroupSummary[]>;
  /** The tenant's groups across schools (written when one is created or saved), oldest first. */
  groupsAcrossSchools(tenantId: string): Promise<GroupAcrossSchools[]>;

  /** Creates the check-in unless it exists (a check-in is posted once); false when it existed. */
  createCheckIn(checkIn: CheckIn): Promise<boolean>;
  getCheckIn(tenantId: string, checkInId: string): Promise<Stored<CheckIn> | undefined>;
  /** Fails with STALE when the check-in changed since it was read. */
  saveCheckIn(checkIn: CheckIn, eTag: string): Promise<void>;
  checkInsOfGroup(tenantId: string, groupId: string): Promise<CheckInSummary[]>;

  /**
   * One answer per person and check-in: a second one replaces the first,
   * under the ETag her answer was read with (undefined: she had none).
   * Fails with STALE when her answer changed or was given since it was read.
   */
  saveAnswer(tenantId: string, answer: Answer, eTag: string | undefined): Promise<void>;
  getAnswer(tenantId: string, checkInId: string, aadObjectId: string): Promise<Answer | undefined>;
  answers(tenantId: string, checkInId: string): Promise<Answer[]>;
  /** The check-in's answers with the ETags a save of each must carry. */
  storedAnswers(tenantId: string, checkInId: string): Promise<Stored<Answer>[]>;
  /**
   * The answers of the tenant's check-ins that named goals (Answer.goalIds)
   * and were last changed at `since` or later: the learning groups'
   * reflections, which the follow-up's analysis counts per teacher and goal.
   */
  reflections(tenantId: string, since: string): Promise<Reflection[]>;
}

/** A member's check-in answer that named goals of hers (`<dialogueId>:<n>`). */
export interface Reflection {
  aadObjectId: string;
  goalIds: string[];
}
