// Implements the domain's LearningGroupEffects (src/domain/learningGroupService.ts) with the outbox,
// the scheduler and the group cards.
import { z } from 'zod';
import { checkInCard, checkInSummaryCard } from '../cards/groupViews';
import type { Choice } from '../cards/render';
import type { AdaptiveCard } from '../cards/render';
import { cardActivity } from './activities';
import { type CheckIn, checkInId, type CheckInView, type Group, type Phase, PHASES } from '../domain/learningGroup';
import { closeTime, postTime, reminderTime } from '../domain/learningGroupCalendar';
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
 *   per 30 seconds into one conversation; the sender's limits hold too);
 * - when a check-in closes, its card says so and the facilitator gets the
 *   summary in 1:1.
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

export class LearningGroupDelivery implements LearningGroupEffects {
  private readonly log: Logger;
  private readonly cardWindowMs: number;
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
  }

  async answersChanged(checkIn: CheckIn): Promise<void> {
    // One job per check-in and window: later answers in the window find it scheduled already.
    const now = this.deps.clock.now().getTime();
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
    const { group } = view;
    const earlier = (await this.checkIns.history(group))
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
