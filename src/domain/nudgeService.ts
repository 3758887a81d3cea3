import { localDateOf } from '../time';
import { AppError, isAppError } from './errors';
import { formIdOf } from './formIds';
import type { GoalDialogueRepository } from './goalDialogueRepository';
import { mayEdit as mayEditGroup } from './learningGroupAccess';
import type { LearningGroupRepository } from './learningGroupRepository';
import {
  type Nudge,
  type NudgeAudience,
  type NudgeCalendar,
  type NudgeFormResult,
  type NudgeRepository,
  type NudgeTie,
  nextSending,
  readNudgeForm,
} from './nudges';
import { retryOnStale } from './optimistic';
import { type Actor, ORGANISATION_UNIT_ID, type Organisation, type School } from './organisation';
import type { SchoolClock } from './schoolClock';
import type { SchoolFocusService } from './schoolFocus';
import type { SchoolGoalRepository } from './schoolGoals';

/**
 * The use cases of puffar: what a person may tie a nudge to and send it to
 * (worked out on the server from who they are and where they ask), creating
 * one from the form, listing, pausing, resuming and stopping. Who may:
 *
 * | what                         | who                                                                 |
 * |------------------------------|---------------------------------------------------------------------|
 * | to a staff team's channel    | a principal of that school (the principals' team: a manager), admins |
 * | to a målsamtal's participants| who manages the dialogue (its school's principal; a manager one up)  |
 * | to a learning group          | its samtalsledare (or whoever created it), in the group's conversation |
 * | pause, resume, stop          | the creator, a principal of its school, a manager, an admin          |
 *
 * A choice a card submits that is not among the person's own is refused
 * like a field left empty: nothing is stored.
 */

/** Where the person asks: the turn's conversation and what it belongs to. */
export interface NudgePlace {
  tenantId: string;
  conversationId: string;
  serviceUrl: string;
  kind: 'personal' | 'channel' | 'groupChat';
  team: { teamId?: string; aadGroupId?: string };
}

/** The person asking, as the organisation and the groups know them. */
export type NudgeActor = Actor & { aadObjectId: string; name: string };

export interface TieOption {
  value: string;
  tie: NudgeTie;
}

export interface AudienceOption {
  value: string;
  audience: NudgeAudience;
  /** The unit whose principals (or managers) may change what goes to it. */
  unitId?: string;
}

export interface NudgeOptions {
  ties: TieOption[];
  audiences: AudienceOption[];
}

/** What follows outside the turn (src/effects/nudges.ts). */
export interface NudgeEffects {
  /** Plans the nudge's `next` sending durably (a job per date; planning again changes nothing). */
  nudgePlanned(nudge: Nudge): Promise<void>;
  /** Nothing planned for `date` is sent: its job is cancelled (the sending job also reads the nudge first). */
  nudgeHalted(nudge: Nudge, date: string): Promise<void>;
}

export type NudgeChange = 'pause' | 'resume' | 'stop';

/** The newest målsamtal offered as recipients, per unit. */
const DIALOGUES_OFFERED = 5;

export class NudgeService {
  constructor(
    private readonly organisation: Organisation,
    private readonly nudges: NudgeRepository,
    private readonly dialogues: GoalDialogueRepository,
    private readonly groups: LearningGroupRepository,
    private readonly schoolGoals: SchoolGoalRepository,
    private readonly focus: SchoolFocusService,
    private readonly effects: NudgeEffects,
    private readonly clock: SchoolClock,
  ) {}

  calendar(): NudgeCalendar {
    return { timeZone: this.clock.timeZone, quietHours: this.clock.quietHours, holidays: this.organisation.holidays() };
  }

  /** What the person may tie a nudge to and send it to, here. Empty lists: they may not make one here. */
  async options(place: NudgePlace, actor: NudgeActor): Promise<NudgeOptions> {
    const ties: TieOption[] = [];
    const audiences: AudienceOption[] = [];
    const teamUnit = place.kind === 'channel' ? this.organisation.unitByTeam(place.team) : undefined;
    // The units whose work the person leads: in a team's channel that team's, in 1:1 all of theirs.
    const units =
      place.kind === 'personal' ? this.organisation.unitsManagedBy(actor) : teamUnit && this.organisation.mayManage(teamUnit, actor) ? [teamUnit] : [];
    if (teamUnit && units.includes(teamUnit)) {
      audiences.push({
        value: 'here',
        audience: { kind: 'conversation', conversationId: place.conversationId, serviceUrl: place.serviceUrl, name: teamUnit.name },
        unitId: teamUnit.id,
      });
    }
    for (const unit of units) {
      for (const summary of (await this.dialogues.dialoguesOfSchool(place.tenantId, unit.id)).filter((d) => d.status === 'open').slice(0, DIALOGUES_OFFERED)) {
        audiences.push({
          value: `dialogue|${summary.dialogueId}`,
          audience: { kind: 'dialogue', dialogueId: summary.dialogueId, name: summary.title },
          unitId: unit.id,
        });
      }
      ties.push(...(await this.tiesOf(unit)));
    }
    if (place.kind !== 'personal') {
      for (const summary of await this.groups.groupsInConversation(place.tenantId, place.conversationId)) {
        const group = (await this.groups.getGroup(place.tenantId, summary.groupId))?.value;
        if (!group || !mayEditGroup(group, actor)) continue;
        audiences.push({
          value: `group|${group.id}`,
          audience: { kind: 'group', groupId: group.id, conversationId: group.conversation.conversationId, name: group.name },
        });
        ties.push({ value: `group|${group.id}`, tie: { kind: 'group', groupId: group.id, title: group.name } });
      }
    }
    return { ties: unique(ties), audiences };
  }

  /** The school's goals, fokusområde and the development areas its goals serve; one level up the overarching goals and every development area. */
  private async tiesOf(unit: School): Promise<TieOption[]> {
    const { organisation } = this;
    if (unit.id === ORGANISATION_UNIT_ID) {
      return [
        ...organisation
          .overarchingGoals()
          .map((goal) => ({ value: `overarching|${goal.id}`, tie: { kind: 'overarchingGoal' as const, goalId: goal.id, title: goal.title } })),
        ...organisation.file.organisation.developmentAreas.map((area) => ({
          value: `area|${area.id}`,
          tie: { kind: 'developmentArea' as const, areaId: area.id, title: area.title },
        })),
      ];
    }
    const ties: TieOption[] = [];
    const focus = await this.focus.focusLine(unit.id);
    if (focus) ties.push({ value: `focus|${unit.id}`, tie: { kind: 'focusArea', schoolId: unit.id, title: focus.title } });
    const goals = (await this.schoolGoals.list(unit.id)).filter((goal) => goal.status === 'active');
    for (const goal of goals)
      ties.push({ value: `goal|${unit.id}|${goal.id}`, tie: { kind: 'schoolGoal', schoolId: unit.id, goalId: goal.id, title: goal.title } });
    for (const areaId of new Set(goals.flatMap((goal) => goal.areas ?? []))) {
      const area = organisation.developmentArea(areaId);
      if (area) ties.push({ value: `area|${area.id}`, tie: { kind: 'developmentArea', areaId: area.id, title: area.title } });
    }
    return ties;
  }

  /**
   * Creates the nudge the form describes and plans its first sending; the
   * problems instead when the form is bad (nothing stored). The form's id is
   * the nudge's: a second submit of the same form finds the first nudge.
   */
  async create(
    place: NudgePlace,
    actor: NudgeActor,
    data: Record<string, unknown>,
    language: 'sv' | 'en',
  ): Promise<{ created: Nudge } | Extract<NudgeFormResult, { ok: false }>> {
    const formId = formIdOf(data);
    if (!formId) throw new AppError('INVALID_INPUT', 'a nudge form without its id');
    const id = `nudge-${formId}`;
    const existing = await this.nudges.get(place.tenantId, id);
    if (existing) return { created: await this.replanned(existing.value) };
    const options = await this.options(place, actor);
    if (options.audiences.length === 0) throw new AppError('NOT_ALLOWED', 'may not make a nudge here', { action: 'nudgeCreate' });
    const now = this.clock.now();
    const form = readNudgeForm(
      data,
      { ties: new Set(options.ties.map((o) => o.value)), audiences: new Set(options.audiences.map((o) => o.value)) },
      this.calendar(),
      now,
      localDateOf(now, this.clock.timeZone),
    );
    if (!form.ok) return form;
    const { value } = form;
    const tie = options.ties.find((o) => o.value === value.tie)!.tie;
    const audience = options.audiences.find((o) => o.value === value.audience)!;
    const nudge: Nudge = {
      id,
      tenantId: place.tenantId,
      text: value.text,
      ...(value.link ? { link: value.link } : {}),
      tie,
      audience: audience.audience,
      schedule: value.schedule,
      ...(unitOf(audience, tie) ? { unitId: unitOf(audience, tie) } : {}),
      createdBy: { aadObjectId: actor.aadObjectId, name: actor.name },
      createdIn: place.conversationId,
      language,
      status: 'active',
      next: value.next,
      sentCount: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    try {
      await this.nudges.create(nudge);
    } catch (error) {
      if (!isAppError(error, 'CONFLICT')) throw error;
      // Two submits of one form at once: the first one made it.
      const first = await this.nudges.get(place.tenantId, id);
      if (!first) throw error;
      return { created: await this.replanned(first.value) };
    }
    await this.effects.nudgePlanned(nudge);
    return { created: nudge };
  }

  /** A nudge found made already: its plan written again (a crash may have come between the two). */
  private async replanned(nudge: Nudge): Promise<Nudge> {
    if (nudge.status === 'active' && nudge.next) await this.effects.nudgePlanned(nudge);
    return nudge;
  }

  /** In a channel or group chat: the nudges sent or made here; in 1:1: those the person made. Stopped ones are left out. */
  async list(place: NudgePlace, actor: NudgeActor): Promise<Nudge[]> {
    const all = (await this.nudges.list(place.tenantId)).filter((nudge) => nudge.status !== 'stopped');
    if (place.kind === 'personal') return all.filter((nudge) => nudge.createdBy.aadObjectId === actor.aadObjectId);
    return all.filter((nudge) => nudge.createdIn === place.conversationId || audienceConversation(nudge.audience) === place.conversationId);
  }

  /** The creator, a principal of its school (a manager for the organisation level), any manager, an admin. */
  mayChange(nudge: Nudge, actor: Actor): boolean {
    if (actor.aadObjectId && nudge.createdBy.aadObjectId.toLowerCase() === actor.aadObjectId.toLowerCase()) return true;
    if (this.organisation.isAdmin(actor) || this.organisation.isManager(actor)) return true;
    const unit = nudge.unitId ? this.organisation.unitById(nudge.unitId) : undefined;
    return unit !== undefined && this.organisation.mayManage(unit, actor);
  }

  /**
   * Pauses, resumes or stops a nudge, checked on the server. Pausing and
   * stopping cancel the planned sending; the sending job reads the nudge
   * under its ETag before it commits, so one already due sends nothing. A
   * resumed series goes on with its next date from now (what fell in the
   * pause is not sent afterwards); one with no dates left is finished.
   */
  async change(tenantId: string, nudgeId: string, actor: Actor, change: NudgeChange): Promise<Nudge> {
    const { before, after } = await retryOnStale('nudge', async () => {
      const stored = await this.nudges.get(tenantId, nudgeId);
      if (!stored) throw new AppError('NOT_FOUND', 'no such nudge');
      const nudge = stored.value;
      if (!this.mayChange(nudge, actor)) throw new AppError('NOT_ALLOWED', 'not the nudge creator', { action: 'nudgeChange' });
      const next = this.changed(nudge, change, actor);
      if (next !== nudge) await this.nudges.save(next, stored.eTag);
      return { before: nudge, after: next };
    });
    if (before.next && before.next.date !== after.next?.date) await this.effects.nudgeHalted(after, before.next.date);
    if (after.status === 'active' && after.next) await this.effects.nudgePlanned(after);
    return after;
  }

  private changed(nudge: Nudge, change: NudgeChange, actor: Actor): Nudge {
    const now = this.clock.now();
    const stamp = { updatedAt: now.toISOString(), changedBy: actor.aadObjectId ?? actor.upn ?? 'unknown' };
    if (nudge.status === 'stopped' || nudge.status === 'finished') return nudge;
    if (change === 'stop') return { ...withoutNext(nudge), status: 'stopped', ...stamp };
    if (change === 'pause') return nudge.status === 'paused' ? nudge : { ...withoutNext(nudge), status: 'paused', ...stamp };
    if (nudge.status === 'active') return nudge;
    const next = nextSending(nudge.schedule, this.calendar(), now, nudge.lastSentDate);
    return next ? { ...nudge, status: 'active', next, ...stamp } : { ...withoutNext(nudge), status: 'finished', ...stamp };
  }
}

function withoutNext(nudge: Nudge): Nudge {
  const { next: _next, ...rest } = nudge;
  return rest;
}

function unique(ties: TieOption[]): TieOption[] {
  return [...new Map(ties.map((option) => [option.value, option])).values()];
}

/** The unit whose principals may change the nudge: who it goes to first, else what it is about. */
function unitOf(audience: AudienceOption, tie: NudgeTie): string | undefined {
  if (audience.unitId) return audience.unitId;
  if (tie.kind === 'schoolGoal' || tie.kind === 'focusArea') return tie.schoolId;
  if (tie.kind === 'overarchingGoal' || tie.kind === 'developmentArea') return ORGANISATION_UNIT_ID;
  return undefined;
}

/** The conversation a nudge is posted in; undefined for one sent to each person in 1:1. */
export function audienceConversation(audience: NudgeAudience): string | undefined {
  return audience.kind === 'dialogue' ? undefined : audience.conversationId;
}
