// Implements the domain's LearningGroupEffects (src/domain/learningGroupService.ts) with the outbox,
// the scheduler and the group cards.
import { z } from 'zod';
import { checkInCard, checkInSummaryCard, type SummaryMoment } from '../cards/groupCheckInViews';
import type { Choice } from '../cards/render';
import type { AdaptiveCard } from '../cards/render';
import { cardActivity } from './activities';
import { type CheckIn, checkInId, type CheckInView, type Group, type Phase, PHASES } from '../domain/learningGroup';
import { beforeSummaryTime, closeTime, postTime, reminderTime } from '../domain/learningGroupCalendar';
import { CheckIns } from '../domain/learningGroupCheckIns';
import type { LearningGroupRepository } from '../domain/learningGroupRepository';
import type { LearningGroupEffects } from '../domain/learningGroupService';
import type { SchoolClock } from '../domain/schoolClock';
import type { LanguagePreferenceRepository } from '../domain/languageChoice';
import { stringsFor } from '../i18n';
import type { Logger } from '../logger';
import type { ConnectorPort, NewRecipient, ProactiveDelivery } from '../proactive';
import type { Scheduler } from '../scheduler';

/**
 * What follows a learning group outside the turn:
 *
 * - each meeting's check-ins are posted in the group's conversation by the
 *   scheduler (before: `beforeLeadHours` ahead; after: when it ends);
 * - members who have not answered get one reminder in their 1:1 chat, with
 *   the card to answer there;
 * - the group's card is refreshed in place as answers come in, coalesced
 *   into one update per check-in and second (Teams allows 7 a second and 60
 *   per 30 seconds into one conversation; the sender's limits hold too):
 *   see answersChanged for how a burst of answers costs one durable write;
 * - when a check-in closes, its card says so and the facilitator gets the
 *   summary in 1:1; a before check-in's summary comes earlier, while it is
 *   still open, `beforeSummaryLeadHours` before the meeting (see
 *   beforeSummaryTime), so the samtalsledare can prepare; answers given or
 *   changed after it come in a second summary when it closes.
 *
 * It reads and writes the groups through their repository and the domain's
 * CheckIns, and takes its times from the group's calendar: the service
 * calls it, it never calls the service.
 */

export const GROUP_JOB_KINDS = {
  post: 'checkin-post',
  remind: 'checkin-remind',
  close: 'checkin-close',
  card: 'checkin-card',
  reminderDelivery: 'checkin-reminder',
  summaryDelivery: 'checkin-summary',
  beforeSummary: 'checkin-before-summary',
} as const;

export interface LearningGroupDeliveryDeps {
  groups: LearningGroupRepository;
  /** The school's clock: now, and the configured time zone for meeting times and the cards' dates. */
  clock: SchoolClock;
  proactive: ProactiveDelivery;
  scheduler: Scheduler;
  connector: ConnectorPort;
  /** A member's own confirmed goals, for the goal question. */
  goalChoices: (tenantId: string, aadObjectId: string) => Promise<Choice[]>;
  /** The languages people chose (`språk`): a reminder in 1:1 is in the member's. */
  languages: Pick<LanguagePreferenceRepository, 'chosenLanguagesIn'>;
  logger: Logger;
  /** The organisation's `learningGroups.beforeSummaryLeadHours`: the before summary this long before the meeting. */
  beforeSummaryLeadHours: number;
  /** Card refreshes per check-in are gathered into windows of this length (default 1 s). */
  cardWindowMs?: number;
}

/**
 * How a check-in's card gets into the group's conversation: in the turn (a
 * command, a meeting event) or through the connector (a scheduled post).
 * Gives the card's activity id, when there is one.
 */
export type SendCard = (card: AdaptiveCard) => Promise<string | undefined>;

/** What posting a check-in needs from the domain: the service's CheckIns in a turn, the effects' own in a job. */
export type CheckInPosting = Pick<CheckIns, 'openCheckIn' | 'view' | 'checkInPosted'>;

/** The shared card in the group's conversation: the aggregate, and a refresh so each member sees their own view. */
export function groupCheckInCard(view: CheckInView, timeZone: string): AdaptiveCard {
  const language = view.group.conversation.language;
  return checkInCard(stringsFor(language), language, timeZone, view, { mode: 'group' });
}

/**
 * The one way a check-in is posted: opens the meeting's check-in (once),
 * renders the group's card, sends it with `send` and records the card's
 * activity id, which plans its reminder and closing. A check-in that has
 * its card already is left as it is. A crash between posting and recording
 * the card's id posts it again on the retry: a second card is better than
 * none.
 */
export async function postCheckIn(
  checkIns: CheckInPosting,
  timeZone: string,
  group: Group,
  meetingId: string,
  phase: Phase,
  send: SendCard,
): Promise<CheckIn | undefined> {
  const meeting = group.meetings.find((m) => m.id === meetingId);
  if (!meeting) return undefined;
  const { checkIn } = await checkIns.openCheckIn(group, meeting, phase);
  if (checkIn.activityId) return checkIn;
  const view = await checkIns.view(group.tenantId, checkIn.id);
  const activityId = await send(groupCheckInCard(view, timeZone));
  return checkIns.checkInPosted(group, checkIn, activityId);
}

/**
 * An open check-in's card posted again (asked for with `incheckning`): the
 * new post becomes the card that is refreshed as answers come in; its
 * reminder and closing stay as planned.
 */
export async function repostCheckIn(checkIns: CheckInPosting, timeZone: string, view: CheckInView, send: SendCard): Promise<CheckIn> {
  const activityId = await send(groupCheckInCard(view, timeZone));
  return checkIns.checkInPosted(view.group, view.checkIn, activityId);
}

const postSchema = z.object({ tenantId: z.string(), groupId: z.string(), meetingId: z.string(), phase: z.enum(PHASES) });
const checkInJobSchema = z.object({ tenantId: z.string(), checkInId: z.string() });

/**
 * An answer that comes this close to the end of its window goes with the
 * next window's refresh: the refresh must read after the answer's save, even
 * on an instance whose clock runs a little ahead of this one's.
 */
const CARD_WINDOW_MARGIN = 0.25;
/** Planned refreshes remembered in process; past ones are forgotten beyond this many. */
const MAX_PLANNED_REFRESHES = 1_000;

export class LearningGroupDelivery implements LearningGroupEffects {
  private readonly log: Logger;
  private readonly cardWindowMs: number;
  /** Per check-in: the card refresh this instance has planned, and the write of its durable job. */
  private readonly plannedRefreshes = new Map<string, { dueAt: number; written: Promise<void> }>();
  private readonly checkIns: CheckIns;
  private readonly timeZone: string;

  constructor(private readonly deps: LearningGroupDeliveryDeps) {
    this.log = deps.logger.child({ component: 'learning-group-delivery' });
    this.cardWindowMs = deps.cardWindowMs ?? 1_000;
    // Posting a check-in here plans its reminder and closing here too.
    this.checkIns = new CheckIns(deps.groups, this, deps.clock);
    this.timeZone = deps.clock.timeZone;
  }

  register(): void {
    const { scheduler } = this.deps;
    scheduler.register({ kind: GROUP_JOB_KINDS.post, payload: postSchema, run: (job) => this.postScheduled(job.payload) });
    scheduler.register({ kind: GROUP_JOB_KINDS.remind, payload: checkInJobSchema, run: (job) => this.remind(job.payload) });
    scheduler.register({ kind: GROUP_JOB_KINDS.close, payload: checkInJobSchema, run: (job) => this.close(job.payload) });
    scheduler.register({ kind: GROUP_JOB_KINDS.card, payload: checkInJobSchema, run: (job) => this.refreshCard(job.payload) });
    scheduler.register({ kind: GROUP_JOB_KINDS.beforeSummary, payload: checkInJobSchema, run: (job) => this.sendBeforeSummary(job.payload) });
  }

  // --- LearningGroupEffects ---

  async groupSaved(group: Group, previous?: Group): Promise<void> {
    const now = this.deps.clock.now().getTime();
    for (const meeting of group.meetings) {
      for (const phase of PHASES) {
        const id = `${GROUP_JOB_KINDS.post}|${checkInId(group.id, meeting.id, phase)}`;
        if (closeTime(group, meeting, phase, this.timeZone).getTime() <= now) continue;
        await this.deps.scheduler.schedule({
          id,
          kind: GROUP_JOB_KINDS.post,
          dueAt: postTime(group, meeting, phase, this.timeZone),
          payload: { tenantId: group.tenantId, groupId: group.id, meetingId: meeting.id, phase },
        });
      }
    }
    const kept = new Set(group.meetings.map((m) => m.id));
    for (const meeting of previous?.meetings ?? []) {
      if (kept.has(meeting.id)) continue;
      for (const phase of PHASES) await this.deps.scheduler.cancel(`${GROUP_JOB_KINDS.post}|${checkInId(group.id, meeting.id, phase)}`);
    }
  }

  async checkInPosted(group: Group, checkIn: CheckIn): Promise<void> {
    const payload = { tenantId: checkIn.tenantId, checkInId: checkIn.id };
    const now = this.deps.clock.now().getTime();
    const reminderAt = reminderTime(group, checkIn);
    if (group.reminderLeadHours > 0 && reminderAt.getTime() > now) {
      await this.deps.scheduler.schedule({ id: `${GROUP_JOB_KINDS.remind}|${checkIn.id}`, kind: GROUP_JOB_KINDS.remind, dueAt: reminderAt, payload });
    }
    await this.deps.scheduler.schedule({
      id: `${GROUP_JOB_KINDS.close}|${checkIn.id}`,
      kind: GROUP_JOB_KINDS.close,
      dueAt: new Date(checkIn.closesAt),
      payload,
    });
    await this.scheduleBeforeSummary(checkIn);
  }

  /**
   * The group's card is refreshed once per check-in and window (whole
   * seconds by default), by a durable job due at the window's end that reads
   * the answers as they are then. The first answer of a window on this
   * instance writes that job (one write); the later ones find it in process
   * and write nothing, so a burst of 30 answers costs one job, not 30.
   * Nothing is missed if the process dies inside the window: every answer's
   * turn ends only after the job due after its save is stored (a later
   * answer waits for the first one's write), and any instance runs it. Two
   * instances plan the same job (same id), written once by each.
   */
  async answersChanged(checkIn: CheckIn): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const window = this.cardWindowMs;
    const dueAt = (Math.floor((now + window * CARD_WINDOW_MARGIN) / window) + 1) * window;
    const planned = this.plannedRefreshes.get(checkIn.id);
    if (planned?.dueAt === dueAt) return planned.written;
    const to = new Date(dueAt);
    const written = (async () => {
      await this.deps.scheduler.scheduleNew({
        id: `${GROUP_JOB_KINDS.card}|${checkIn.id}|${new Date(dueAt - window).toISOString()}`,
        kind: GROUP_JOB_KINDS.card,
        dueAt: to,
        payload: { tenantId: checkIn.tenantId, checkInId: checkIn.id },
      });
      this.deps.scheduler.wakeAt(to);
    })();
    this.plannedRefreshes.set(checkIn.id, { dueAt, written });
    this.forgetPastRefreshes(now);
    try {
      await written;
    } catch (error) {
      // Not stored: the next answer tries again.
      if (this.plannedRefreshes.get(checkIn.id)?.written === written) this.plannedRefreshes.delete(checkIn.id);
      throw error;
    }
  }

  private forgetPastRefreshes(now: number): void {
    if (this.plannedRefreshes.size <= MAX_PLANNED_REFRESHES) return;
    for (const [id, { dueAt }] of this.plannedRefreshes) if (dueAt <= now) this.plannedRefreshes.delete(id);
  }

  // --- Jobs ---

  private async postScheduled(job: z.infer<typeof postSchema>): Promise<void> {
    const group = (await this.deps.groups.getGroup(job.tenantId, job.groupId))?.value;
    const meeting = group?.meetings.find((m) => m.id === job.meetingId);
    if (!group || !meeting) return;
    if (closeTime(group, meeting, job.phase, this.timeZone).getTime() <= this.deps.clock.now().getTime()) return;
    const target = { serviceUrl: group.conversation.serviceUrl, tenantId: group.tenantId, conversationId: group.conversation.conversationId };
    await postCheckIn(this.checkIns, this.timeZone, group, meeting.id, job.phase, async (card) => {
      const { activityId } = await this.deps.proactive.withinLimits(group.tenantId, target.conversationId, () =>
        this.deps.connector.send(target, cardActivity(card)),
      );
      this.log.info({ groupId: group.id, checkInId: checkInId(group.id, meeting.id, job.phase) }, 'check-in posted');
      return activityId;
    });
  }

  async refreshCard(job: z.infer<typeof checkInJobSchema>): Promise<void> {
    const view = await this.checkIns.view(job.tenantId, job.checkInId);
    const activityId = view.checkIn.activityId;
    if (!activityId) return;
    const { conversation } = view.group;
    const target = { serviceUrl: conversation.serviceUrl, tenantId: view.group.tenantId, conversationId: conversation.conversationId };
    await this.deps.proactive.withinLimits(view.group.tenantId, target.conversationId, () =>
      this.deps.connector.update(target, activityId, cardActivity(groupCheckInCard(view, this.timeZone))),
    );
  }

  private async remind(job: z.infer<typeof checkInJobSchema>): Promise<void> {
    const view = await this.checkIns.view(job.tenantId, job.checkInId);
    if (view.checkIn.status !== 'open') return;
    const answered = new Set(view.answers.map((a) => a.aadObjectId));
    const { group } = view;
    const chosen = await this.deps.languages.chosenLanguagesIn(group.tenantId);
    const recipients: NewRecipient[] = [];
    for (const member of view.checkIn.members) {
      if (answered.has(member.aadObjectId)) continue;
      const language = chosen.get(member.aadObjectId) ?? group.conversation.language;
      const strings = stringsFor(language);
      const goalChoices = await this.deps.goalChoices(group.tenantId, member.aadObjectId);
      const card = checkInCard(strings, language, this.timeZone, view, {
        mode: 'person',
        aadObjectId: member.aadObjectId,
        notice: strings.groups.checkIn.reminder(group.name),
        goalChoices,
      });
      recipients.push({
        key: member.aadObjectId,
        target: {
          kind: 'person',
          serviceUrl: group.conversation.serviceUrl,
          tenantId: group.tenantId,
          userId: member.userId,
          botId: group.conversation.botId,
          aadObjectId: member.aadObjectId,
        },
        activity: cardActivity(card, strings.groups.checkIn.reminder(group.name)),
      });
    }
    if (recipients.length === 0) return;
    await this.deps.proactive.enqueue(
      { id: `${GROUP_JOB_KINDS.reminderDelivery}|${view.checkIn.id}`, kind: GROUP_JOB_KINDS.reminderDelivery, tenantId: group.tenantId },
      recipients,
    );
    this.log.info({ checkInId: view.checkIn.id, reminders: recipients.length }, 'check-in reminders queued');
  }

  private async close(job: z.infer<typeof checkInJobSchema>): Promise<void> {
    await this.checkIns.closeCheckIn(job.tenantId, job.checkInId);
    await this.refreshCard(job);
    const view = await this.checkIns.view(job.tenantId, job.checkInId);
    const early = await this.deps.scheduler.get(`${GROUP_JOB_KINDS.beforeSummary}|${view.checkIn.id}`);
    // The samtalsledare had the summary before the meeting: again only for answers given or changed since.
    if (early?.status === 'done') {
      const since = Date.parse(early.finishedAt ?? early.dueAt);
      if (view.answers.some((a) => Date.parse(a.updatedAt) > since)) await this.sendSummary(view, 'closed', { kind: 'update' });
      return;
    }
    await this.sendSummary(view, 'main', { kind: 'closed' });
  }

  // --- The before summary, ahead of the meeting ---

  /** Plans a before check-in's summary for the samtalsledare ahead of the meeting, when that is before it closes. */
  private async scheduleBeforeSummary(checkIn: CheckIn): Promise<void> {
    const dueAt = beforeSummaryTime(checkIn, this.deps.beforeSummaryLeadHours);
    if (!dueAt) return;
    await this.deps.scheduler.schedule({
      id: `${GROUP_JOB_KINDS.beforeSummary}|${checkIn.id}`,
      kind: GROUP_JOB_KINDS.beforeSummary,
      dueAt,
      payload: { tenantId: checkIn.tenantId, checkInId: checkIn.id },
    });
  }

  /** The before summary while the check-in is open (or, run late, however it stands): the same delivery the closing would make. */
  private async sendBeforeSummary(job: z.infer<typeof checkInJobSchema>): Promise<void> {
    const view = await this.checkIns.view(job.tenantId, job.checkInId);
    await this.sendSummary(view, 'main', view.checkIn.status === 'open' ? { kind: 'early', timeZone: this.timeZone } : { kind: 'closed' });
  }

  /**
   * The summary to the samtalsledare in 1:1. `main` is the check-in's one
   * summary (the early one and the closing one share its delivery id, so
   * whichever runs second adds nothing); `closed` the second one after an
   * early summary.
   */
  private async sendSummary(view: CheckInView, which: 'main' | 'closed', moment: SummaryMoment): Promise<void> {
    const { group } = view;
    const earlier = (await this.checkIns.history(group))
      .filter((v) => v.checkIn.id !== view.checkIn.id && v.checkIn.postedAt < view.checkIn.postedAt && v.aggregate.ratingAverage !== undefined)
      .map((v) => v.aggregate.ratingAverage!);
    const language = group.conversation.language;
    const card = checkInSummaryCard(stringsFor(language), language, view, earlier, moment);
    const id = `${GROUP_JOB_KINDS.summaryDelivery}|${view.checkIn.id}${which === 'closed' ? '|closed' : ''}`;
    await this.deps.proactive.enqueue({ id, kind: GROUP_JOB_KINDS.summaryDelivery, tenantId: group.tenantId }, [
      {
        key: group.facilitator.aadObjectId,
        target: {
          kind: 'person',
          serviceUrl: group.conversation.serviceUrl,
          tenantId: group.tenantId,
          userId: group.facilitator.userId,
          botId: group.conversation.botId,
          aadObjectId: group.facilitator.aadObjectId,
        },
        activity: cardActivity(card),
      },
    ]);
  }
}
