// Implements the domain's NudgeEffects (src/domain/nudgeService.ts) with the scheduler, the outbox and the nudge card.
import { z } from 'zod';
import { nudgeCard } from '../cards/nudges';
import type { GoalDialogueRepository } from '../domain/goalDialogueRepository';
import type { LanguagePreferenceRepository } from '../domain/languageChoice';
import type { LearningGroupRepository } from '../domain/learningGroupRepository';
import type { NudgeEffects } from '../domain/nudgeService';
import { type Nudge, type NudgeCalendar, type NudgeRepository, nextSending } from '../domain/nudges';
import type { SchoolClock } from '../domain/schoolClock';
import { stringsFor } from '../i18n';
import type { Logger } from '../logger';
import type { NewRecipient, ProactiveDelivery } from '../proactive';
import { PermanentJobError, type Scheduler } from '../scheduler';
import { cardActivity } from './activities';
import { personTarget } from './goalDialogueNotices';

/**
 * What follows a puff outside the turn. Its next sending is one job in the
 * schedule (`nudge-send|<nudge>|<date>`: planning it twice, or from two
 * instances, writes one job). The job:
 *
 * 1. reads the nudge; a nudge paused, stopped or moved to another date since
 *    (its `next` is not this date) is left alone: nothing is sent;
 * 2. commits the sending with one ETag-conditioned write of the nudge (its
 *    `lastSentDate`, the count and the next date): a stop saved a moment
 *    earlier makes that write fail, and the retry reads the nudge stopped;
 * 3. puts the messages in the outbox as one delivery job per date, a row
 *    per recipient (a målsamtal's 300 participants are 300 rows, sent
 *    within Teams' limits), so a retry after a crash adds nothing twice;
 * 4. plans the next date.
 *
 * A sending more than LATE_MS late (the bot was down) is not sent; the
 * series goes on with its next date.
 */

export const NUDGE_JOB_KINDS = { send: 'nudge-send', delivery: 'nudge' } as const;

const LATE_MS = 12 * 3_600_000;
const WAKE_WITHIN_MS = 60_000;

const sendSchema = z.object({ tenantId: z.string(), nudgeId: z.string(), date: z.string() });

export interface NudgeDeliveryDeps {
  nudges: NudgeRepository;
  dialogues: GoalDialogueRepository;
  groups: LearningGroupRepository;
  languages: Pick<LanguagePreferenceRepository, 'chosenLanguagesIn'>;
  proactive: ProactiveDelivery;
  scheduler: Scheduler;
  clock: SchoolClock;
  /** The organisation file's holidays, as single dates. */
  holidays: string[];
  logger: Logger;
}

export function nudgeJobId(nudgeId: string, date: string): string {
  return `${NUDGE_JOB_KINDS.send}|${nudgeId}|${date}`;
}

export class NudgeDelivery implements NudgeEffects {
  private readonly log: Logger;

  constructor(private readonly deps: NudgeDeliveryDeps) {
    this.log = deps.logger.child({ component: 'nudge-delivery' });
  }

  register(): void {
    this.deps.scheduler.register({ kind: NUDGE_JOB_KINDS.send, payload: sendSchema, run: (job) => this.send(job.payload) });
  }

  private calendar(): NudgeCalendar {
    const { clock, holidays } = this.deps;
    return { timeZone: clock.timeZone, quietHours: clock.quietHours, holidays };
  }

  async nudgePlanned(nudge: Nudge): Promise<void> {
    if (!nudge.next) return;
    const dueAt = new Date(nudge.next.at);
    await this.deps.scheduler.schedule({
      id: nudgeJobId(nudge.id, nudge.next.date),
      kind: NUDGE_JOB_KINDS.send,
      dueAt,
      payload: { tenantId: nudge.tenantId, nudgeId: nudge.id, date: nudge.next.date },
    });
    // Due within the minute (a nudge for now): this instance runs it at once rather than at its next poll.
    if (dueAt.getTime() - this.deps.clock.now().getTime() < WAKE_WITHIN_MS) this.deps.scheduler.wakeAt(dueAt);
  }

  async nudgeHalted(nudge: Nudge, date: string): Promise<void> {
    await this.deps.scheduler.cancel(nudgeJobId(nudge.id, date));
  }

  private async send(job: z.infer<typeof sendSchema>): Promise<void> {
    const committed = await this.commit(job);
    if (!committed) return;
    const { nudge, late } = committed;
    if (!late) await this.deliver(nudge, job.date);
    else this.log.info({ nudgeId: nudge.id, date: job.date }, 'nudge not sent: too late');
    await this.nudgePlanned(nudge);
  }

  /**
   * The sending of `date`, written on the nudge under its ETag; undefined
   * when nothing is to be sent (stopped, paused, planned for another day).
   * A sending committed before a crash is found by its lastSentDate and
   * delivered again (the outbox adds nothing twice), unless stopped since.
   */
  private async commit(job: z.infer<typeof sendSchema>): Promise<{ nudge: Nudge; late: boolean } | undefined> {
    const stored = await this.deps.nudges.get(job.tenantId, job.nudgeId);
    if (!stored) return undefined;
    const nudge = stored.value;
    const now = this.deps.clock.now();
    if (nudge.lastSentDate === job.date) return nudge.status === 'stopped' || nudge.status === 'paused' ? undefined : { nudge, late: false };
    if (nudge.status !== 'active' || nudge.next?.date !== job.date) return undefined;
    const late = now.getTime() - Date.parse(nudge.next.at) > LATE_MS;
    const next = nextSending(nudge.schedule, this.calendar(), now, job.date);
    const { next: _sent, ...rest } = nudge;
    const sent: Nudge = {
      ...rest,
      ...(next ? { next } : {}),
      status: next ? 'active' : 'finished',
      lastSentDate: job.date,
      sentCount: nudge.sentCount + (late ? 0 : 1),
      updatedAt: now.toISOString(),
    };
    // STALE when paused, stopped or resumed a moment ago: the scheduler runs the job again, which reads the nudge as it is now.
    await this.deps.nudges.save(sent, stored.eTag);
    return { nudge: sent, late };
  }

  private async deliver(nudge: Nudge, date: string): Promise<void> {
    const recipients = await this.recipients(nudge);
    if (recipients.length === 0) return;
    await this.deps.proactive.enqueue(
      {
        id: `${NUDGE_JOB_KINDS.delivery}|${nudge.id}|${date}`,
        kind: NUDGE_JOB_KINDS.delivery,
        tenantId: nudge.tenantId,
        startedBy: nudge.createdBy.aadObjectId,
      },
      recipients,
    );
    this.log.info({ nudgeId: nudge.id, date, recipients: recipients.length }, 'nudge queued');
  }

  private async recipients(nudge: Nudge): Promise<NewRecipient[]> {
    const { audience, tenantId } = nudge;
    if (audience.kind === 'conversation') {
      const card = nudgeCard(stringsFor(nudge.language), nudge);
      const target = { kind: 'conversation' as const, serviceUrl: audience.serviceUrl, tenantId, conversationId: audience.conversationId };
      return [{ key: 'conversation', target, activity: cardActivity(card, nudge.text) }];
    }
    if (audience.kind === 'group') {
      const group = (await this.deps.groups.getGroup(tenantId, audience.groupId))?.value;
      if (!group) throw new PermanentJobError('NOT_FOUND', 'the group of a nudge is gone');
      const card = nudgeCard(stringsFor(group.conversation.language), nudge);
      const target = { kind: 'conversation' as const, serviceUrl: group.conversation.serviceUrl, tenantId, conversationId: group.conversation.conversationId };
      return [{ key: 'conversation', target, activity: cardActivity(card, nudge.text) }];
    }
    const dialogue = (await this.deps.dialogues.getDialogue(tenantId, audience.dialogueId))?.value;
    if (!dialogue) throw new PermanentJobError('NOT_FOUND', 'the målsamtal of a nudge is gone');
    const chosen = await this.deps.languages.chosenLanguagesIn(tenantId);
    return dialogue.participants.map((person) => {
      const target = personTarget(dialogue, person);
      // Without the bot's id no 1:1 chat can be opened: the job fails for good rather than being retried.
      if (!target) throw new PermanentJobError('NO_BOT_ID', 'the målsamtal does not know the bot id to open 1:1 chats with');
      // Each in the frame of their own language; the text is as written.
      const card = nudgeCard(stringsFor(chosen.get(person.aadObjectId) ?? dialogue.channel.language ?? nudge.language), nudge);
      return { key: person.aadObjectId, target, activity: cardActivity(card, nudge.text) };
    });
  }
}
