// Implements the domain's FollowUpEffects (src/domain/followUpService.ts) with the outbox, the scheduler and the follow-up cards.
import { z } from 'zod';
import { followUpAnalysisCard, followUpGoalCard, followUpStatusCard, roundTitle } from '../cards/followUps';
import { formatDate } from '../cards/goalViews';
import { cardActivity } from './activities';
import { personTarget } from './goalDialogueNotices';
import { type ResultDialogueSteps, RESULT_VIEW_JOB, resultCardRecipients, resultStatusNote, sideBySideRecipients } from './resultDialogues';
import { isDone, type Round, roundCounts } from '../domain/followUp';
import type { FollowUpRepository } from '../domain/followUpRepository';
import type { FollowUpRoundEffects } from '../domain/followUpRounds';
import type { AnalysisView, FollowUpEffects } from '../domain/followUpService';
import type { Dialogue } from '../domain/goalDialogue';
import type { GoalDialogueRepository } from '../domain/goalDialogueRepository';
import type { LanguagePreferenceRepository } from '../domain/languageChoice';
import type { Organisation } from '../domain/organisation';
import type { SchoolClock } from '../domain/schoolClock';
import { type Language, languageOf, stringsFor } from '../i18n';
import type { Logger } from '../logger';
import type { ConnectorPort, DeliveryTarget, NewRecipient, OutboxRepository, OutgoingActivity, ProactiveDelivery } from '../proactive';
import type { Scheduler } from '../scheduler';
import { addDays, DEFAULT_QUIET_HOURS, localDateOf, nextSendingMoment, zonedTime } from '../time';

/**
 * What follows from a follow-up round, outside the turn that caused it:
 *
 * - opening: one scheduled job per round, due at once or at 07:00-ish on
 *   its first day (never in quiet hours, on a weekend or a holiday); it
 *   fixes the participants and queues one card per teacher and goal into
 *   the outbox (keyed by teacher and goal: a run repeated after a crash
 *   queues nothing twice), posts the channel's status card (counts only)
 *   through the outbox, and plans the reminders and the closing;
 * - reminders 7 and 2 days before the last day to those not done, each
 *   moved by nextSendingMoment to a school day outside the quiet hours;
 * - the status card, refreshed in place in coalesced windows;
 * - closing after the last day (at the next moment a message may be sent),
 *   or by the owner: the analysis goes to the owner in 1:1.
 * - a cancelled planned round: its opening job is withdrawn (the round's
 *   status decides; a job that runs all the same opens nothing).
 */

export const FOLLOW_UP_JOBS = {
  open: 'followup-open',
  cards: 'followup-cards',
  statusPost: 'followup-status-post',
  status: 'followup-status',
  reminder: 'followup-reminder',
  close: 'followup-close',
  analysis: 'followup-analysis',
} as const;

/** Local time reminders are planned at (then moved out of quiet hours, weekends and holidays). */
const REMINDER_TIME = '08:00';
const REMINDER_DAYS_BEFORE = [7, 2];
const REMINDER_TOO_LATE_MS = 12 * 3_600_000;
const STATUS_WINDOW_MS = 5_000;

const roundJobSchema = z.object({ tenantId: z.string(), roundId: z.string() });
const reminderJobSchema = roundJobSchema.extend({ daysBefore: z.number().int().positive() });

/** The service's own steps the jobs run (registered once both are built). */
export interface FollowUpSteps {
  open(tenantId: string, roundId: string): Promise<Round | undefined>;
  close(tenantId: string, roundId: string): Promise<{ round: Round; changed: boolean }>;
  analysisOf(tenantId: string, roundId: string): Promise<AnalysisView | undefined>;
  /** A resultatdialog's cards, view and counts (src/effects/resultDialogues.ts). */
  resultDialogue?: ResultDialogueSteps;
}

export interface FollowUpDeliveryDeps {
  rounds: FollowUpRepository;
  dialogues: GoalDialogueRepository;
  outbox: OutboxRepository;
  proactive: ProactiveDelivery;
  scheduler: Scheduler;
  connector: ConnectorPort;
  organisation: Organisation;
  languages: Pick<LanguagePreferenceRepository, 'chosenLanguagesIn'>;
  defaultLocale: string;
  clock: SchoolClock;
  logger: Logger;
}

export class FollowUpDelivery implements FollowUpEffects, FollowUpRoundEffects {
  private readonly log: Logger;
  private steps?: FollowUpSteps;

  constructor(private readonly deps: FollowUpDeliveryDeps) {
    this.log = deps.logger.child({ component: 'follow-up-delivery' });
  }

  /** Registers the jobs; every instance calls it once at start, with the service's steps. */
  register(steps: FollowUpSteps): void {
    this.steps = steps;
    const { scheduler, proactive } = this.deps;
    scheduler.register({ kind: FOLLOW_UP_JOBS.open, payload: roundJobSchema, run: (job) => this.openJob(job.payload) });
    scheduler.register({ kind: FOLLOW_UP_JOBS.status, payload: roundJobSchema, run: (job) => this.refreshStatus(job.payload) });
    scheduler.register({ kind: FOLLOW_UP_JOBS.close, payload: roundJobSchema, run: (job) => this.closeJob(job.payload) });
    scheduler.register({
      kind: FOLLOW_UP_JOBS.reminder,
      payload: reminderJobSchema,
      tooLateAfterMs: REMINDER_TOO_LATE_MS,
      run: (job) => this.sendReminders(job.payload),
    });
    // Once the status card is in the channel, it shows the counts of the moment.
    proactive.onProgress(FOLLOW_UP_JOBS.statusPost, async (progress) => {
      const roundId = progress.reportTo?.roundId;
      if (typeof roundId === 'string' && progress.sent > 0) await this.refreshStatus({ tenantId: progress.tenantId, roundId });
    });
  }

  // --- FollowUpEffects ---

  async roundCreated(round: Round): Promise<void> {
    const { clock } = this.deps;
    const now = clock.now();
    const dueAt = round.startsOn ? this.sendable(zonedTime(round.startsOn, '00:00', clock.timeZone)) : now;
    await this.deps.scheduler.schedule({ id: `${FOLLOW_UP_JOBS.open}|${round.id}`, kind: FOLLOW_UP_JOBS.open, dueAt, payload: jobOf(round) });
    // A round planned for a later day is found by the scheduler's polls; one starting now begins at once.
    if (!round.startsOn) this.deps.scheduler.wakeAt(dueAt);
  }

  async progressChanged(round: Round): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const from = new Date(Math.floor(now / STATUS_WINDOW_MS) * STATUS_WINDOW_MS);
    const to = new Date(from.getTime() + STATUS_WINDOW_MS);
    await this.deps.scheduler.schedule({
      id: `${FOLLOW_UP_JOBS.status}|${round.id}|${from.toISOString()}`,
      kind: FOLLOW_UP_JOBS.status,
      dueAt: to,
      payload: jobOf(round),
    });
    this.deps.scheduler.wakeAt(to);
  }

  async roundClosed(round: Round): Promise<void> {
    const view = await this.steps?.analysisOf(round.tenantId, round.id);
    const dialogue = view?.dialogue;
    const target = dialogue && personTarget(dialogue, round.owner);
    if (view && target) {
      const language = (await this.languagesIn(round, dialogue))(round.owner);
      const strings = stringsFor(language);
      const card = followUpAnalysisCard(strings, language, view);
      await this.deps.proactive.enqueue({ id: `${FOLLOW_UP_JOBS.analysis}|${round.id}`, kind: FOLLOW_UP_JOBS.analysis, tenantId: round.tenantId }, [
        { key: round.owner.aadObjectId, target, activity: cardActivity(card, strings.followUp.analysis.title(roundTitle(strings, round))) },
      ]);
      // A resultatdialog: the schools' answers side by side follow the analysis, a card per page.
      const views = await sideBySideRecipients(this.steps?.resultDialogue, round, target, language);
      if (views.length > 0) await this.deps.proactive.enqueue({ id: `${RESULT_VIEW_JOB}|${round.id}`, kind: RESULT_VIEW_JOB, tenantId: round.tenantId }, views);
    }
    await this.progressChanged(round);
    this.log.info({ roundId: round.id }, 'follow-up round closed');
  }

  /** A planned round was cancelled: its opening is withdrawn (the job, should it run all the same, finds the round cancelled and does nothing). */
  async roundCancelled(round: Round): Promise<void> {
    const withdrawn = await this.deps.scheduler.cancel(`${FOLLOW_UP_JOBS.open}|${round.id}`);
    this.log.info({ roundId: round.id, withdrawn }, 'follow-up round cancelled');
  }

  // --- Jobs ---

  private async openJob(job: { tenantId: string; roundId: string }): Promise<void> {
    const round = await this.steps?.open(job.tenantId, job.roundId);
    if (round?.status !== 'open') return;
    const dialogue = (await this.deps.dialogues.getDialogue(round.tenantId, round.dialogueId))?.value;
    if (!dialogue) return;
    await this.sendCards(round, dialogue);
    await this.postStatus(round, dialogue);
    await this.planReminders(round);
    const closesAt = this.sendable(zonedTime(addDays(round.lastDay, 1), '00:00', this.deps.clock.timeZone));
    await this.deps.scheduler.schedule({ id: `${FOLLOW_UP_JOBS.close}|${round.id}`, kind: FOLLOW_UP_JOBS.close, dueAt: closesAt, payload: jobOf(round) });
    this.log.info({ roundId: round.id, participants: round.participants.length }, 'follow-up round opened');
  }

  /** One card per teacher and goal, the goal's text read from the målsamtal; the first card of each greets her. */
  private async sendCards(round: Round, dialogue: Dialogue): Promise<void> {
    const participations = new Map((await this.deps.dialogues.participations(dialogue)).map((p) => [p.aadObjectId, p]));
    const languageOf = await this.languagesIn(round, dialogue);
    const schoolGoals = new Map(dialogue.schoolGoals.map((goal) => [goal.id, goal.title]));
    const recipients: NewRecipient[] = round.participants.flatMap((person) => {
      const target = personTarget(dialogue, person);
      const goals = participations.get(person.aadObjectId)?.goals ?? [];
      if (!target) return [];
      const language = languageOf(person);
      const strings = stringsFor(language);
      return person.goals.map((goal, index) => {
        const card = followUpGoalCard(strings, language, {
          round,
          goalNumber: goal.number,
          goalCount: person.goals.length,
          goalText: goals[goal.number - 1]?.goal ?? '',
          serves: goal.schoolGoalIds.map((id) => schoolGoals.get(id) ?? id),
          ...(index === 0 ? { intro: strings.followUp.card.intro(round.owner.name, roundTitle(strings, round), formatDate(round.lastDay, language)) } : {}),
        });
        const summary = strings.followUp.card.greeting(person.name.split(' ')[0] ?? person.name);
        return { key: `${person.aadObjectId}|${goal.number}`, target, activity: cardActivity(card, summary) };
      });
    });
    // A resultatdialog: each principal's cards per indicator of her school follow her goal cards.
    for (const person of round.participants) {
      const target = personTarget(dialogue, person);
      if (target) recipients.push(...(await resultCardRecipients(this.steps?.resultDialogue, round, person, target, languageOf(person))));
    }
    await this.deps.proactive.enqueue(
      { id: `${FOLLOW_UP_JOBS.cards}|${round.id}`, kind: FOLLOW_UP_JOBS.cards, tenantId: round.tenantId, startedBy: round.owner.aadObjectId },
      recipients,
    );
  }

  /** The status card as a new post in the målsamtal's channel, through the outbox (its id is read from there for the refreshes). */
  private async postStatus(round: Round, dialogue: Dialogue): Promise<void> {
    const language = dialogue.channel.language ?? languageOf(undefined, this.deps.defaultLocale);
    const responses = await this.deps.rounds.responses(round.tenantId, round.id);
    const note = await resultStatusNote(this.steps?.resultDialogue, round, stringsFor(language));
    const card = followUpStatusCard(stringsFor(language), language, round, roundCounts(round, responses), note);
    const target: DeliveryTarget = {
      kind: 'conversation',
      serviceUrl: dialogue.channel.serviceUrl,
      tenantId: round.tenantId,
      conversationId: dialogue.channel.conversationId,
    };
    await this.deps.proactive.enqueue(
      { id: statusPostJobId(round.id), kind: FOLLOW_UP_JOBS.statusPost, tenantId: round.tenantId, reportTo: { roundId: round.id } },
      [{ key: 'channel', target, activity: cardActivity(card) }],
    );
  }

  private async refreshStatus(job: { tenantId: string; roundId: string }): Promise<void> {
    const round = (await this.deps.rounds.getRound(job.tenantId, job.roundId))?.value;
    const posted = (await this.deps.outbox.getRecipient(statusPostJobId(job.roundId), 'channel'))?.record;
    if (!round || !posted?.activityId || posted.target.kind !== 'conversation') return;
    const dialogue = (await this.deps.dialogues.getDialogue(round.tenantId, round.dialogueId))?.value;
    const language = dialogue?.channel.language ?? languageOf(undefined, this.deps.defaultLocale);
    const responses = await this.deps.rounds.responses(round.tenantId, round.id);
    const note = await resultStatusNote(this.steps?.resultDialogue, round, stringsFor(language));
    const card = followUpStatusCard(stringsFor(language), language, round, roundCounts(round, responses), note);
    const target = { serviceUrl: posted.target.serviceUrl, tenantId: round.tenantId, conversationId: posted.conversationId ?? posted.target.conversationId };
    const activityId = posted.activityId;
    await this.deps.proactive.withinLimits(round.tenantId, target.conversationId, () => this.deps.connector.update(target, activityId, cardActivity(card)));
  }

  private async planReminders(round: Round): Promise<void> {
    if (!round.reminders) return;
    const { clock } = this.deps;
    const now = clock.now();
    for (const days of REMINDER_DAYS_BEFORE) {
      const dueAt = this.sendable(zonedTime(addDays(round.lastDay, -days), REMINDER_TIME, clock.timeZone));
      // Moved past the last day (a long lov), or already past: no reminder.
      if (dueAt <= now || localDateOf(dueAt, clock.timeZone) > round.lastDay) continue;
      await this.deps.scheduler.schedule({
        id: `${FOLLOW_UP_JOBS.reminder}|${round.id}|${days}d`,
        kind: FOLLOW_UP_JOBS.reminder,
        dueAt,
        payload: { ...jobOf(round), daysBefore: days },
      });
    }
  }

  private async sendReminders(job: { tenantId: string; roundId: string; daysBefore: number }): Promise<void> {
    const round = (await this.deps.rounds.getRound(job.tenantId, job.roundId))?.value;
    if (!round || round.status !== 'open') return;
    const dialogue = (await this.deps.dialogues.getDialogue(round.tenantId, round.dialogueId))?.value;
    if (!dialogue) return;
    const responses = await this.deps.rounds.responses(round.tenantId, round.id);
    const languageOf = await this.languagesIn(round, dialogue);
    const recipients: NewRecipient[] = round.participants.flatMap((person) => {
      const target = personTarget(dialogue, person);
      if (!target || isDone(person, responses)) return [];
      const confirmed = responses.filter((r) => r.aadObjectId === person.aadObjectId && r.status === 'confirmed').length;
      const language = languageOf(person);
      const strings = stringsFor(language);
      const text = strings.followUp.reminder(roundTitle(strings, round), formatDate(round.lastDay, language), person.goals.length - confirmed);
      const activity: OutgoingActivity = { type: 'message', textFormat: 'markdown', text };
      return [{ key: person.aadObjectId, target, activity }];
    });
    if (recipients.length === 0) return;
    await this.deps.proactive.enqueue(
      { id: `${FOLLOW_UP_JOBS.reminder}|${round.id}|${job.daysBefore}d`, kind: FOLLOW_UP_JOBS.reminder, tenantId: round.tenantId },
      recipients,
    );
    this.log.info({ roundId: round.id, reminders: recipients.length }, 'follow-up reminders queued');
  }

  private async closeJob(job: { tenantId: string; roundId: string }): Promise<void> {
    const closed = await this.steps?.close(job.tenantId, job.roundId);
    // Closed already (by the owner, or by a run a crash interrupted): the analysis is queued again, which adds nothing twice.
    if (closed && !closed.changed && closed.round.status === 'closed') await this.roundClosed(closed.round);
  }

  // --- Helpers ---

  /** The first moment at or after `at` that a message may reach someone: a school day, outside the quiet hours. */
  private sendable(at: Date): Date {
    const { clock, organisation } = this.deps;
    return nextSendingMoment(at, clock.timeZone, clock.quietHours ?? DEFAULT_QUIET_HOURS, organisation.holidays());
  }

  private async languagesIn(round: Round, dialogue: Dialogue): Promise<(person: { aadObjectId: string }) => Language> {
    const chosen = await this.deps.languages.chosenLanguagesIn(round.tenantId);
    const fallback = dialogue.channel.language ?? languageOf(undefined, this.deps.defaultLocale);
    return (person) => chosen.get(person.aadObjectId) ?? fallback;
  }
}

export function statusPostJobId(roundId: string): string {
  return `${FOLLOW_UP_JOBS.statusPost}|${roundId}`;
}

function jobOf(round: Round): { tenantId: string; roundId: string } {
  return { tenantId: round.tenantId, roundId: round.id };
}
