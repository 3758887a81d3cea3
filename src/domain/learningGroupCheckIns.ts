import { randomBytes } from 'node:crypto';
import { AppError } from './errors';
import { closesAt, nextCheckIn } from './learningGroupCalendar';
import { type CheckIn, checkInId, type CheckInView, checkInView, type Group, type Meeting, type Phase, questionsFor } from './learningGroup';
import type { LearningGroupRepository } from './learningGroupRepository';
import { changeStored } from './optimistic';
import type { SchoolClock } from './schoolClock';

/** What follows once a check-in's card is in its conversation (part of LearningGroupEffects). */
export interface CheckInEffects {
  /** A check-in was posted (by the scheduler, a command or a meeting event): plan its reminder and closing. */
  checkInPosted(group: Group, checkIn: CheckIn): Promise<void>;
}

/**
 * What `incheckning` does for a group now: post the next check-in that is
 * due; else show the open one posted last again; else nothing, saying which
 * check-in comes next (`wait`) or that every one is posted (`none`).
 */
export type CheckInOffer =
  { kind: 'post'; meeting: Meeting; phase: Phase } | { kind: 'show'; view: CheckInView } | { kind: 'wait'; meeting: Meeting; phase: Phase } | { kind: 'none' };

/**
 * A group's check-ins in storage: opened once, marked posted, closed, read
 * with their answers. The service uses it in a turn and the effects in a
 * scheduled job; it needs the repository and the clock, not the service.
 */
export class CheckIns {
  constructor(
    private readonly groups: LearningGroupRepository,
    private readonly effects: CheckInEffects,
    private readonly clock: SchoolClock,
  ) {}

  /**
   * Creates a check-in (once: a second call for the same meeting and phase
   * returns the existing one with created false).
   */
  async openCheckIn(group: Group, meeting: Meeting, phase: Phase): Promise<{ checkIn: CheckIn; created: boolean }> {
    const id = checkInId(group.id, meeting.id, phase);
    const existing = await this.groups.getCheckIn(group.tenantId, id);
    if (existing) return { checkIn: existing.value, created: false };
    const now = this.clock.now();
    const checkIn: CheckIn = {
      id,
      tenantId: group.tenantId,
      groupId: group.id,
      meetingId: meeting.id,
      phase,
      questions: questionsFor(group, meeting, phase),
      members: group.members,
      postedAt: now.toISOString(),
      closesAt: closesAt(group, meeting, phase, now, this.clock.timeZone).toISOString(),
      status: 'open',
      answerOrderKey: randomBytes(16).toString('hex'),
    };
    const created = await this.groups.createCheckIn(checkIn);
    if (!created) return { checkIn: (await this.groups.getCheckIn(group.tenantId, id))!.value, created: false };
    return { checkIn, created: true };
  }

  /** After the card is in the conversation: remember where, and plan the reminder and closing. */
  async checkInPosted(group: Group, checkIn: CheckIn, activityId: string | undefined): Promise<CheckIn> {
    const saved = activityId ? await this.change(checkIn.tenantId, checkIn.id, (c) => (c.activityId = activityId)) : checkIn;
    await this.effects.checkInPosted(group, saved);
    return saved;
  }

  async closeCheckIn(tenantId: string, id: string): Promise<CheckIn> {
    return this.change(tenantId, id, (c) => {
      c.status = 'closed';
      c.closedAt ??= this.clock.now().toISOString();
    });
  }

  async view(tenantId: string, id: string): Promise<CheckInView> {
    const checkIn = (await this.groups.getCheckIn(tenantId, id))?.value;
    if (!checkIn) throw new AppError('NOT_FOUND', 'no such check-in');
    const group = (await this.groups.getGroup(tenantId, checkIn.groupId))?.value;
    if (!group) throw new AppError('NOT_FOUND', 'no such group');
    return this.viewIn(group, checkIn);
  }

  /** Every posted check-in of the group with its answers, oldest first (for the log and the summary's comparison). */
  async history(group: Group): Promise<CheckInView[]> {
    const summaries = await this.groups.checkInsOfGroup(group.tenantId, group.id);
    const views = await Promise.all(
      summaries.map(async (s) => {
        const checkIn = (await this.groups.getCheckIn(group.tenantId, s.checkInId))?.value;
        return checkIn ? this.viewIn(group, checkIn) : undefined;
      }),
    );
    return views.filter((v): v is CheckInView => v !== undefined);
  }

  /** What `incheckning` does for the group now (see CheckInOffer). */
  async offer(group: Group): Promise<CheckInOffer> {
    const now = this.clock.now();
    const next = nextCheckIn(group, await this.postedIds(group), now, this.clock.timeZone);
    if (next?.due) return { kind: 'post', meeting: next.meeting, phase: next.phase };
    const open = (await this.history(group))
      .filter((v) => v.checkIn.status === 'open' && Date.parse(v.checkIn.closesAt) > now.getTime())
      .sort((a, b) => a.checkIn.postedAt.localeCompare(b.checkIn.postedAt))
      .at(-1);
    if (open) return { kind: 'show', view: open };
    return next ? { kind: 'wait', meeting: next.meeting, phase: next.phase } : { kind: 'none' };
  }

  /** The ids of the group's check-ins posted so far. */
  async postedIds(group: Group): Promise<Set<string>> {
    return new Set((await this.groups.checkInsOfGroup(group.tenantId, group.id)).map((s) => s.checkInId));
  }

  private async viewIn(group: Group, checkIn: CheckIn): Promise<CheckInView> {
    return checkInView(group, checkIn, await this.groups.answers(group.tenantId, checkIn.id));
  }

  private change(tenantId: string, id: string, change: (checkIn: CheckIn) => void): Promise<CheckIn> {
    return changeStored(
      'check-in',
      () => this.groups.getCheckIn(tenantId, id),
      (checkIn, eTag) => this.groups.saveCheckIn(checkIn, eTag),
      change,
    );
  }
}
