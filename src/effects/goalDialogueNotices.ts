// Implements the domain's GoalDialogueLifecycleEffects (src/domain/goalDialogueManagement.ts) with the outbox,
// and posts a dialogue's status card as a post of its own in the channel.
import { z } from 'zod';
import { dialogueStatusCard, goalNudgeCard, type StatusCounts } from '../cards/goalPrincipalViews';
import type { Dialogue, Participation } from '../domain/goalDialogue';
import type { GoalDialogueLifecycleEffects } from '../domain/goalDialogueManagement';
import type { GoalDialogueRepository } from '../domain/goalDialogueRepository';
import { changeStored } from '../domain/optimistic';
import type { Organisation } from '../domain/organisation';
import { type Language, languageOf, stringsFor } from '../i18n';
import type { Logger } from '../logger';
import { ConnectorError, type ConnectorPort, type DeliveryTarget, type NewRecipient, type OutgoingActivity, type ProactiveDelivery } from '../proactive';
import type { Scheduler } from '../scheduler';
import { cardActivity } from './activities';

/**
 * What the principal's hand on a dialogue sends, each through the outbox
 * like every proactive message, under a job id that names the change it
 * follows, so that the same change enqueued twice sends once:
 *
 * - closed: `goal-closed|<dialogue>|<closedAt>`, one message to each
 *   teacher who had not finished (what happens to the draft);
 * - reopened: `goal-reopened|<dialogue>|<reopenedAt>`, the same teachers
 *   may go on. Decision: they are told, in one short message, because a
 *   teacher who was told "closed" would otherwise not know she can finish;
 * - the principal's reminder: `goal-nudge|<dialogue>|<day>`, keyed by
 *   teacher, so at most one per person and day.
 *
 * The status card of a new dialogue is a new post in the channel (the
 * channel's conversation id, without the ";messageid=…" of the thread the
 * principal wrote in), posted by a job of its own so that the principal's
 * submit answers at once. A channel that refuses new posts from the bot
 * (403, e.g. a moderated channel) gets it in the start thread instead: the
 * start form becomes the status card there, as it used to.
 */

export const NOTICE_KINDS = {
  statusPost: 'goal-status-post',
  closed: 'goal-closed',
  reopened: 'goal-reopened',
  nudge: 'goal-nudge',
} as const;

export interface GoalDialogueNoticeDeps {
  dialogues: GoalDialogueRepository;
  proactive: ProactiveDelivery;
  scheduler: Scheduler;
  connector: ConnectorPort;
  organisation: Organisation;
  defaultLocale: string;
  now: () => Date;
  logger: Logger;
  /** The status card's numbers, as the delivery counts them. */
  statusCounts(dialogue: Dialogue): Promise<StatusCounts>;
}

const statusPostJobSchema = z.object({ tenantId: z.string(), dialogueId: z.string() });

export class GoalDialogueNotices implements GoalDialogueLifecycleEffects {
  private readonly log: Logger;

  constructor(private readonly deps: GoalDialogueNoticeDeps) {
    this.log = deps.logger.child({ component: 'goal-dialogue-notices' });
  }

  register(): void {
    this.deps.scheduler.register({ kind: NOTICE_KINDS.statusPost, payload: statusPostJobSchema, run: (job) => this.postStatusCard(job.payload) });
  }

  /** A dialogue started without a status card: it is posted in the background, once (one job per dialogue). */
  async planStatusPost(dialogue: Dialogue): Promise<void> {
    if (dialogue.channel.statusActivityId) return;
    const now = this.deps.now();
    await this.deps.scheduler.schedule({
      id: `${NOTICE_KINDS.statusPost}|${dialogue.id}`,
      kind: NOTICE_KINDS.statusPost,
      dueAt: now,
      payload: { tenantId: dialogue.tenantId, dialogueId: dialogue.id },
    });
    this.deps.scheduler.wakeAt(now);
  }

  /** Posts the status card as a new post in the channel (or, refused, in the start thread) and remembers where. */
  async postStatusCard(job: { tenantId: string; dialogueId: string }): Promise<void> {
    const dialogue = (await this.deps.dialogues.getDialogue(job.tenantId, job.dialogueId))?.value;
    if (!dialogue || dialogue.channel.statusActivityId) return;
    const language = this.languageOf(dialogue);
    const activity = cardActivity(dialogueStatusCard(stringsFor(language), language, dialogue, await this.deps.statusCounts(dialogue)));
    const { serviceUrl, conversationId } = dialogue.channel;
    const channel = { serviceUrl, tenantId: dialogue.tenantId, conversationId };
    let posted: { conversationId: string; activityId: string };
    try {
      const sent = await this.deps.proactive.withinLimits(dialogue.tenantId, conversationId, () => this.deps.connector.send(channel, activity));
      posted = { conversationId, activityId: sent.activityId };
    } catch (error) {
      const refused = error instanceof ConnectorError && (error.status === 403 || error.status === 401);
      const thread = dialogue.channel.thread;
      // Anything else (throttled, down) is tried again by the scheduler.
      if (!refused || !thread) throw error;
      this.log.warn(
        { dialogueId: dialogue.id, status: error.status, code: error.code },
        'the channel refused a new post; the status card goes in the start thread',
      );
      posted = await this.postInThread(dialogue, thread, activity);
    }
    await changeStored(
      'dialogue',
      () => this.deps.dialogues.getDialogue(dialogue.tenantId, dialogue.id),
      (value, eTag) => this.deps.dialogues.saveDialogue(value, eTag),
      (value) => {
        value.channel.statusActivityId = posted.activityId;
        if (posted.conversationId !== value.channel.conversationId) value.channel.statusConversationId = posted.conversationId;
      },
    );
    this.log.info({ dialogueId: dialogue.id, inThread: posted.conversationId !== conversationId }, 'goal dialogue status card posted');
  }

  private async postInThread(
    dialogue: Dialogue,
    thread: NonNullable<Dialogue['channel']['thread']>,
    activity: OutgoingActivity,
  ): Promise<{ conversationId: string; activityId: string }> {
    const target = { serviceUrl: dialogue.channel.serviceUrl, tenantId: dialogue.tenantId, conversationId: thread.conversationId };
    const { formActivityId } = thread;
    if (formActivityId) {
      await this.deps.proactive.withinLimits(dialogue.tenantId, target.conversationId, () => this.deps.connector.update(target, formActivityId, activity));
      return { conversationId: thread.conversationId, activityId: formActivityId };
    }
    const sent = await this.deps.proactive.withinLimits(dialogue.tenantId, target.conversationId, () => this.deps.connector.send(target, activity));
    return { conversationId: thread.conversationId, activityId: sent.activityId };
  }

  // --- GoalDialogueLifecycleEffects ---

  async dialogueClosed(dialogue: Dialogue, unfinished: Participation[]): Promise<void> {
    const strings = stringsFor(this.languageOf(dialogue));
    await this.tell(`${NOTICE_KINDS.closed}|${dialogue.id}|${dialogue.closedAt ?? ''}`, NOTICE_KINDS.closed, dialogue, unfinished, (p) =>
      strings.goals.notices.closed(dialogue.principal.name, dialogue.title, p.status !== 'not-started'),
    );
  }

  async dialogueReopened(dialogue: Dialogue, unfinished: Participation[]): Promise<void> {
    const strings = stringsFor(this.languageOf(dialogue));
    await this.tell(`${NOTICE_KINDS.reopened}|${dialogue.id}|${dialogue.reopenedAt ?? ''}`, NOTICE_KINDS.reopened, dialogue, unfinished, (p) =>
      strings.goals.notices.reopened(dialogue.principal.name, dialogue.title, p.status !== 'not-started'),
    );
  }

  async reminderRequested(dialogue: Dialogue, participation: Participation, day: string): Promise<void> {
    const language = this.languageOf(dialogue);
    const strings = stringsFor(language);
    const target = personTarget(dialogue, participation);
    if (!target) return;
    const overarching = new Map(this.deps.organisation.file.organisation.overarchingGoals.map((goal) => [goal.id, goal.title]));
    const activity = cardActivity(goalNudgeCard(strings, language, dialogue, day, overarching), strings.goals.reminder.title(dialogue.title));
    await this.deps.proactive.enqueue({ id: `${NOTICE_KINDS.nudge}|${dialogue.id}|${day}`, kind: NOTICE_KINDS.nudge, tenantId: dialogue.tenantId }, [
      { key: participation.aadObjectId, target, activity },
    ]);
    this.log.info({ dialogueId: dialogue.id }, 'goal reminder from the principal queued');
  }

  /** One message to each of `people` in their 1:1 chat, under one job id. */
  private async tell(jobId: string, kind: string, dialogue: Dialogue, people: Participation[], text: (p: Participation) => string): Promise<void> {
    const recipients: NewRecipient[] = people.flatMap((p) => {
      const target = personTarget(dialogue, p);
      return target ? [{ key: p.aadObjectId, target, activity: { type: 'message', textFormat: 'markdown', text: text(p) } }] : [];
    });
    if (recipients.length === 0) return;
    await this.deps.proactive.enqueue({ id: jobId, kind, tenantId: dialogue.tenantId }, recipients);
    this.log.info({ dialogueId: dialogue.id, kind, recipients: recipients.length }, 'goal dialogue notices queued');
  }

  private languageOf(dialogue: Dialogue): Language {
    return dialogue.channel.language ?? languageOf(undefined, this.deps.defaultLocale);
  }
}

/** A participant's 1:1 chat with the bot (created if it does not exist yet); undefined without the bot's id. */
export function personTarget(dialogue: Dialogue, person: { userId: string; aadObjectId: string }): DeliveryTarget | undefined {
  const botId = dialogue.channel.botId;
  if (!botId) return undefined;
  return {
    kind: 'person',
    serviceUrl: dialogue.channel.serviceUrl,
    tenantId: dialogue.tenantId,
    userId: person.userId,
    botId,
    aadObjectId: person.aadObjectId,
  };
}
