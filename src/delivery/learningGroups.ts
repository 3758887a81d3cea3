import { z } from 'zod';
import { checkInCard, checkInSummaryCard } from '../cards/groupViews';
import type { Choice } from '../cards/render';
import type { AdaptiveCard } from '../cards/render';
import { cardActivity } from './activities';
import { type CheckIn, checkInId, type Group, PHASES } from '../domain/learningGroup';
import type { CheckInView, LearningGroupEffects, LearningGroupService } from '../domain/learningGroupService';
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
 *   per 30 seconds into one conversation; the sender's limits hold too);
 * - when a check-in closes, its card says so and the facilitator gets the
 *   summary in 1:1.
 */

export const GROUP_JOB_KINDS = {
  post: 'checkin-post',
  remind: 'checkin-remind',
  close: 'checkin-close',
  card: 'checkin-card',
  reminderDelivery: 'checkin-reminder',
  summaryDelivery: 'checkin-summary',
} as const;

export interface LearningGroupDeliveryDeps {
  service: () => LearningGroupService;
  proactive: ProactiveDelivery;
  scheduler: Scheduler;
  connector: ConnectorPort;
  /** A member's own confirmed goals, for the goal question. */
  goalChoices: (tenantId: string, aadObjectId: string) => Promise<Choice[]>;
  timeZone: string;
  now: () => Date;
  logger: Logger;
  /** Card refreshes per check-in are gathered into windows of this length (default 1 s). */
  cardWindowMs?: number;
}

const postSchema = z.object({ tenantId: z.string(), groupId: z.string(), meetingId: z.string(), phase: z.enum(PHASES) });
const checkInJobSchema = z.object({ tenantId: z.string(), checkInId: z.string() });

export class LearningGroupDelivery implements LearningGroupEffects {
  private readonly log: Logger;
  private readonly cardWindowMs: number;

  constructor(private readonly deps: LearningGroupDeliveryDeps) {
    this.log = deps.logger.child({ component: 'learning-group-delivery' });
    this.cardWindowMs = deps.cardWindowMs ?? 1_000;
  }

  register(): void {
    const { scheduler } = this.deps;
    scheduler.register({ kind: GROUP_JOB_KINDS.post, payload: postSchema, run: (job) => this.postScheduled(job.payload) });
    scheduler.register({ kind: GROUP_JOB_KINDS.remind, payload: checkInJobSchema, run: (job) => this.remind(job.payload) });
    scheduler.register({ kind: GROUP_JOB_KINDS.close, payload: checkInJobSchema, run: (job) => this.close(job.payload) });
    scheduler.register({ kind: GROUP_JOB_KINDS.card, payload: checkInJobSchema, run: (job) => this.refreshCard(job.payload) });
  }

  // --- LearningGroupEffects ---

  async groupSaved(group: Group, previous?: Group): Promise<void> {
    const service = this.deps.service();
    const now = this.deps.now().getTime();
    for (const meeting of group.meetings) {
      for (const phase of PHASES) {
        const id = `${GROUP_JOB_KINDS.post}|${checkInId(group.id, meeting.id, phase)}`;
        if (service.closeTime(group, meeting, phase).getTime() <= now) continue;
        await this.deps.scheduler.schedule({
          id,
          kind: GROUP_JOB_KINDS.post,
          dueAt: service.postTime(group, meeting, phase),
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
    const service = this.deps.service();
    const payload = { tenantId: checkIn.tenantId, checkInId: checkIn.id };
    const now = this.deps.now().getTime();
    const reminderAt = service.reminderTime(group, checkIn);
    if (group.reminderLeadHours > 0 && reminderAt.getTime() > now) {
      await this.deps.scheduler.schedule({ id: `${GROUP_JOB_KINDS.remind}|${checkIn.id}`, kind: GROUP_JOB_KINDS.remind, dueAt: reminderAt, payload });
    }
    await this.deps.scheduler.schedule({ id: `${GROUP_JOB_KINDS.close}|${checkIn.id}`, kind: GROUP_JOB_KINDS.close, dueAt: new Date(checkIn.closesAt), payload });
  }

  async answersChanged(checkIn: CheckIn): Promise<void> {
    // One job per check-in and window: later answers in the window find it scheduled already.
    const now = this.deps.now().getTime();
    const from = Math.floor(now / this.cardWindowMs) * this.cardWindowMs;
    const to = new Date(from + this.cardWindowMs);
    await this.deps.scheduler.schedule({
      id: `${GROUP_JOB_KINDS.card}|${checkIn.id}|${new Date(from).toISOString()}`,
      kind: GROUP_JOB_KINDS.card,
      dueAt: to,
      payload: { tenantId: checkIn.tenantId, checkInId: checkIn.id },
    });
    this.deps.scheduler.wakeAt(to);
  }

  // --- Cards ---

  /** The shared card in the group's conversation: the aggregate, and a refresh so each member sees their own view. */
  groupCard(view: CheckInView): AdaptiveCard {
    const language = view.group.conversation.language;
    return checkInCard(stringsFor(language), language, this.deps.timeZone, view, { mode: 'group' });
  }

  // --- Jobs ---

  private async postScheduled(job: z.infer<typeof postSchema>): Promise<void> {
    const service = this.deps.service();
    const group = await service.group(job.tenantId, job.groupId);
    const meeting = group?.meetings.find((m) => m.id === job.meetingId);
    if (!group || !meeting) return;
    if (service.closeTime(group, meeting, job.phase).getTime() <= this.deps.now().getTime()) return;
    await this.post(group, meeting.id, job.phase);
  }

  /**
   * Posts a meeting's check-in in the group's conversation unless it is
   * there already. A crash between posting and recording the card's id
   * posts it again on the retry: a second card is better than none.
   */
  async post(group: Group, meetingId: string, phase: CheckIn['phase']): Promise<CheckIn | undefined> {
    const service = this.deps.service();
    const meeting = group.meetings.find((m) => m.id === meetingId);
    if (!meeting) return undefined;
    const { checkIn } = await service.openCheckIn(group, meeting, phase);
    if (checkIn.activityId) return checkIn;
    const view = await service.view(group.tenantId, checkIn.id);
    const target = { serviceUrl: group.conversation.serviceUrl, tenantId: group.tenantId, conversationId: group.conversation.conversationId };
    const { activityId } = await this.deps.proactive.withinLimits(group.tenantId, target.conversationId, () =>
      this.deps.connector.send(target, cardActivity(this.groupCard(view))),
    );
    this.log.info({ groupId: group.id, checkInId: checkIn.id }, 'check-in posted');
    return service.checkInPosted(group, checkIn, activityId);
  }

  async refreshCard(job: z.infer<typeof checkInJobSchema>): Promise<void> {
    const view = await this.deps.service().view(job.tenantId, job.checkInId);
    const activityId = view.checkIn.activityId;
    if (!activityId) return;
    const { conversation } = view.group;
    const target = { serviceUrl: conversation.serviceUrl, tenantId: view.group.tenantId, conversationId: conversation.conversationId };
    await this.deps.proactive.withinLimits(view.group.tenantId, target.conversationId, () =>
      this.deps.connector.update(target, activityId, cardActivity(this.groupCard(view))),
    );
  }

  private async remind(job: z.infer<typeof checkInJobSchema>): Promise<void> {
    const view = await this.deps.service().view(job.tenantId, job.checkInId);
    if (view.checkIn.status !== 'open') return;
    const answered = new Set(view.answers.map((a) => a.aadObjectId));
    const { group } = view;
    const language = group.conversation.language;
    const strings = stringsFor(language);
    const recipients: NewRecipient[] = [];
    for (const member of view.checkIn.members) {
      if (answered.has(member.aadObjectId)) continue;
      const goalChoices = await this.deps.goalChoices(group.tenantId, member.aadObjectId);
      const card = checkInCard(strings, language, this.deps.timeZone, view, {
        mode: 'person',
        aadObjectId: member.aadObjectId,
        notice: strings.groups.checkIn.reminder(group.name),
        goalChoices,
      });
      recipients.push({
        key: member.aadObjectId,
        target: { kind: 'person', serviceUrl: group.conversation.serviceUrl, tenantId: group.tenantId, userId: member.userId, botId: group.conversation.botId, aadObjectId: member.aadObjectId },
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
    const service = this.deps.service();
    await service.closeCheckIn(job.tenantId, job.checkInId);
    await this.refreshCard(job);
    const view = await service.view(job.tenantId, job.checkInId);
    const { group } = view;
    const earlier = (await service.history(group))
      .filter((v) => v.checkIn.id !== view.checkIn.id && v.checkIn.postedAt < view.checkIn.postedAt && v.aggregate.ratingAverage !== undefined)
      .map((v) => v.aggregate.ratingAverage!);
    const language = group.conversation.language;
    const card = checkInSummaryCard(stringsFor(language), language, view, earlier);
    await this.deps.proactive.enqueue(
      { id: `${GROUP_JOB_KINDS.summaryDelivery}|${view.checkIn.id}`, kind: GROUP_JOB_KINDS.summaryDelivery, tenantId: group.tenantId },
      [
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
      ],
    );
  }
}
