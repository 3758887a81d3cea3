// Implements the domain's GoalDialogueEffects and DialogueDelivery (src/domain/goalDialogueService.ts)
// with the outbox, the scheduler and the goal cards.
import { z } from 'zod';
import { dialogueStatusCard, type StatusCounts } from '../cards/goalPrincipalViews';
import { dialogueTitle, goalPromptCard, goalReminderCard } from '../cards/goalViews';
import { cardActivity } from './activities';
import { type Dialogue, newParticipation, type Participation, participantState } from '../domain/goalDialogue';
import type { GoalDialogueLifecycleEffects } from '../domain/goalDialogueManagement';
import type { DialogueDelivery, GoalDialogueEffects } from '../domain/goalDialogueService';
import { GoalDialogueNotices, personTarget } from './goalDialogueNotices';
import { GOAL_DELIVERY_DEFAULTS, type GoalDialogueDeliveryDeps, type GoalDialogueDeliveryOptions } from './goalDialogueDeliveryOptions';
import { StartPacer, startBatches } from './goalDialogueStartPacing';
import { type Language, languageOf, listOf, stringsFor } from '../i18n';
import type { Logger } from '../logger';
import type { DeliveryTarget, JobProgress, NewRecipient, OutgoingActivity } from '../proactive';
import { addDays, localDateOf, zonedTime } from '../time';

/**
 * What follows from a goal dialogue, outside the turn that caused it:
 *
 * - the start: one durable job (the scheduler's) per dialogue creates the
 *   participations and puts the invitations, one per participant, into the
 *   outbox, a batch of 100 teachers at a time (the first of 20), so that
 *   the principal's submit writes the dialogue and this job only and
 *   sending begins after the first small batch. The batches keep behind
 *   the sender (goalDialogueStartPacing.ts): each is written when the
 *   invitations queued before it run low, so that their writes spread over
 *   the fan-out instead of crowding its first seconds. Every write is keyed by teacher and
 *   idempotent; a job that a crash interrupted is run again (by the
 *   restarted instance at once) and goes on from the batches the outbox
 *   already holds;
 * - reminders N days before the deadline, to those not done, planned in the
 *   scheduler at 08:00 in the school's time zone;
 * - the channel's status card, refreshed in place. Refreshes are coalesced
 *   into one scheduled job per dialogue and window, so that 30 teachers
 *   confirming within a minute give a handful of card updates, not 30; a
 *   crash between a change and its refresh leaves the job in storage;
 * - the principal's digest: confirmations within a window are told in one
 *   1:1 message, not one per teacher.
 *
 * No goal text leaves here for a channel: the status card carries counts only.
 */

export const JOB_KINDS = {
  start: 'goal-dialogue-start',
  prompt: 'goal-dialogue-prompt',
  reminder: 'goal-reminder',
  digest: 'goal-digest',
  status: 'goal-status',
  adopted: 'school-goals-adopted',
} as const;

const dialogueJobSchema = z.object({ tenantId: z.string(), dialogueId: z.string() });
const reminderJobSchema = dialogueJobSchema.extend({ daysBefore: z.number().int().positive() });
const digestJobSchema = dialogueJobSchema.extend({ from: z.string(), to: z.string() });

/** The failure reasons of the outbox, as the status card counts them. */
export function unreachableReason(failureReason: string | undefined): 'not-installed' | 'blocked' | 'not-found' | 'other' {
  const reason = (failureReason ?? '').toLowerCase();
  if (reason.includes('blocked')) return 'blocked';
  if (reason.includes('notfound') || reason === 'http404') return 'not-found';
  if (reason.includes('forbidden') || reason.includes('notinstalled') || reason.includes('roster') || reason.includes('disabled')) return 'not-installed';
  return 'other';
}

export class GoalDialogueDelivery implements GoalDialogueEffects, DialogueDelivery, GoalDialogueLifecycleEffects {
  private readonly options: GoalDialogueDeliveryOptions;
  private readonly log: Logger;
  /** Closing, reopening, the principal's reminders and the status card's new post (goalDialogueNotices.ts). */
  private readonly notices: GoalDialogueNotices;

  constructor(private readonly deps: GoalDialogueDeliveryDeps) {
    this.options = { ...GOAL_DELIVERY_DEFAULTS, ...deps.options };
    this.log = deps.logger.child({ component: 'goal-dialogue-delivery' });
    this.notices = new GoalDialogueNotices({ ...deps, statusCounts: (dialogue) => this.statusCounts(dialogue) });
  }

  /** Registers the scheduled jobs and progress hooks; every instance calls it once at start. */
  register(): void {
    const { scheduler, proactive } = this.deps;
    scheduler.register({ kind: JOB_KINDS.start, payload: dialogueJobSchema, run: (job) => this.prepareDialogue(job.payload) });
    scheduler.register({ kind: JOB_KINDS.status, payload: dialogueJobSchema, run: (job) => this.refreshStatus(job.payload) });
    scheduler.register({
      kind: JOB_KINDS.reminder,
      payload: reminderJobSchema,
      tooLateAfterMs: this.options.reminderTooLateMs,
      run: (job) => this.sendReminders(job.payload),
    });
    scheduler.register({ kind: JOB_KINDS.digest, payload: digestJobSchema, run: (job) => this.sendDigest(job.payload) });
    // Invitations that fail change the card's "not reached" line.
    proactive.onProgress(JOB_KINDS.prompt, (progress) => this.promptProgress(progress));
    this.notices.register();
  }

  // --- GoalDialogueEffects ---

  async dialogueStarted(dialogue: Dialogue): Promise<void> {
    await this.notices.planStatusPost(dialogue);
    const now = this.deps.now();
    await this.deps.scheduler.schedule({
      id: startJobId(dialogue.id),
      kind: JOB_KINDS.start,
      dueAt: now,
      payload: { tenantId: dialogue.tenantId, dialogueId: dialogue.id },
    });
    this.deps.scheduler.wakeAt(now);
  }

  async progressChanged(dialogue: Dialogue): Promise<void> {
    await this.scheduleInWindow(JOB_KINDS.status, dialogue, this.options.statusWindowMs, {});
  }

  async goalsConfirmed(dialogue: Dialogue, _participation: Participation): Promise<void> {
    await this.scheduleInWindow(JOB_KINDS.digest, dialogue, this.options.digestWindowMs, (from: Date, to: Date) => ({
      from: from.toISOString(),
      to: to.toISOString(),
    }));
  }

  /**
   * A manager approved a principal's goals: the principal hears in 1:1 that
   * they are the school's goals now. `key` names the approval (the goals'
   * versions), so the same approval sends once.
   */
  async schoolGoalsAdopted(dialogue: Dialogue, principalAad: string, schoolIds: string[], key: string): Promise<void> {
    const person = dialogue.participants.find((participant) => participant.aadObjectId === principalAad);
    const target = person && this.personTarget(dialogue, person);
    if (!target) return;
    const language = this.languageOf(dialogue);
    const schools = listOf(
      schoolIds.map((id) => this.deps.organisation.schoolById(id)?.name ?? id),
      language,
    );
    const strings = stringsFor(language);
    const activity: OutgoingActivity = { type: 'message', textFormat: 'markdown', text: strings.cascade.toPrincipal(dialogue.principal.name, schools) };
    await this.deps.proactive.enqueue(
      { id: `${JOB_KINDS.adopted}|${dialogue.id}|${principalAad}|${key}`, kind: JOB_KINDS.adopted, tenantId: dialogue.tenantId },
      [{ key: principalAad, target, activity }],
    );
  }

  // --- GoalDialogueLifecycleEffects ---

  dialogueClosed(dialogue: Dialogue, unfinished: Participation[]): Promise<void> {
    return this.notices.dialogueClosed(dialogue, unfinished);
  }

  dialogueReopened(dialogue: Dialogue, unfinished: Participation[]): Promise<void> {
    return this.notices.dialogueReopened(dialogue, unfinished);
  }

  reminderRequested(dialogue: Dialogue, participation: Participation, day: string): Promise<void> {
    return this.notices.reminderRequested(dialogue, participation, day);
  }

  // --- DialogueDelivery ---

  async unreachable(dialogue: Dialogue): Promise<Map<string, string>> {
    const failed = await this.deps.outbox.failedRecipients(promptJobId(dialogue.id));
    return new Map(failed.map((row) => [row.key, unreachableReason(row.failureReason)]));
  }

  // --- Jobs ---

  /**
   * The start job: participations and invitations in batches of
   * START_BATCH teachers (the first of FIRST_START_BATCH), in the
   * dialogue's order of participants, each when the sender has sent most
   * of those before it (StartPacer). The
   * outbox's count of queued invitations says how far an earlier run got;
   * the batch it may have left half done is written again (both writes skip
   * what exists). The status card's first refresh is planned after the
   * first batch, while it reads little (statusCounts); whatever changes
   * later (a teacher's progress, a failed invitation) refreshes it again.
   * Then the reminders are planned.
   */
  async prepareDialogue(job: { tenantId: string; dialogueId: string }): Promise<void> {
    let dialogue = (await this.deps.dialogues.getDialogue(job.tenantId, job.dialogueId))?.value;
    if (!dialogue) return;
    const queued = await this.queuedInvitations(dialogue);
    const starts = startBatches(dialogue.participants.length);
    // The batch the last run may have left half done (or the next one): both writes skip what exists.
    const resumeAt = starts.filter((start) => start <= queued).length - 1;
    const from = starts[resumeAt] ?? 0;
    const createdAt = new Date(dialogue.createdAt);
    const pacer = new StartPacer(this.deps.outbox, promptJobId(dialogue.id), this.options.invitationsPerSecond);
    for (let index = resumeAt; index < starts.length; index++) {
      const start = starts[index]!;
      if (start > from) {
        await pacer.beforeBatch(start - from);
        // Closed meanwhile: the teachers not invited yet are not invited.
        dialogue = (await this.deps.dialogues.getDialogue(job.tenantId, job.dialogueId))?.value;
        if (!dialogue || dialogue.status !== 'open') return;
      }
      const batch = dialogue.participants.slice(start, starts[index + 1] ?? dialogue.participants.length);
      await this.deps.dialogues.addParticipations(
        dialogue,
        batch.map((person) => newParticipation(dialogue!.id, person, createdAt)),
      );
      await this.invite(dialogue, batch);
      // The status card's first refresh: early, while only the batches reached so far are read.
      if (index === resumeAt) await this.progressChanged(dialogue);
    }
    if (dialogue.reminders.enabled) await this.planReminders(dialogue);
    this.log.info({ dialogueId: dialogue.id, participants: dialogue.participants.length, resumedAt: from }, 'goal dialogue invitations queued');
  }

  /** Invitations of the dialogue in the outbox (the start job's progress). */
  private async queuedInvitations(dialogue: Dialogue): Promise<number> {
    return (await this.deps.outbox.getJob(promptJobId(dialogue.id)))?.job.recipients ?? 0;
  }

  /** One invitation per teacher of the batch into the dialogue's prompt job (keyed by teacher: a batch queued twice is queued once). */
  private async invite(dialogue: Dialogue, people: Dialogue['participants']): Promise<void> {
    const languageOf = await this.languagesOfPeople(dialogue);
    const overarching = this.overarchingTitles();
    const recipients = people.flatMap((person) => {
      const target = this.personTarget(dialogue, person);
      if (!target) return [];
      const language = languageOf(person);
      const strings = stringsFor(language);
      const card = goalPromptCard(strings, language, dialogue, person, overarching);
      return [{ key: person.aadObjectId, target, activity: cardActivity(card, strings.goals.prompt.greeting(firstName(person))) }];
    });
    await this.deps.proactive.enqueue(
      {
        id: promptJobId(dialogue.id),
        kind: JOB_KINDS.prompt,
        tenantId: dialogue.tenantId,
        startedBy: dialogue.principal.aadObjectId,
        reportTo: { dialogueId: dialogue.id },
      },
      recipients,
    );
  }

  /** The dialogue's status card, rendered from what is stored now, replaces the one in the channel. */
  async refreshStatus(job: { tenantId: string; dialogueId: string }): Promise<void> {
    const dialogue = (await this.deps.dialogues.getDialogue(job.tenantId, job.dialogueId))?.value;
    const activityId = dialogue?.channel.statusActivityId;
    if (!dialogue || !activityId) return;
    const language = this.languageOf(dialogue);
    const card = dialogueStatusCard(stringsFor(language), language, dialogue, await this.statusCounts(dialogue));
    // The channel's own post, or the start thread's when the channel refused a new post.
    const conversationId = dialogue.channel.statusConversationId ?? dialogue.channel.conversationId;
    const target = { serviceUrl: dialogue.channel.serviceUrl, tenantId: dialogue.tenantId, conversationId };
    await this.deps.proactive.withinLimits(dialogue.tenantId, target.conversationId, () => this.deps.connector.update(target, activityId, cardActivity(card)));
  }

  async statusCounts(dialogue: Dialogue): Promise<StatusCounts> {
    const [participations, unreachable] = await Promise.all([this.writtenParticipations(dialogue), this.unreachable(dialogue)]);
    const byTeacher = new Map(participations.map((p) => [p.aadObjectId, p]));
    const counts: StatusCounts = { total: dialogue.participants.length, done: 0, inProgress: 0, notReached: {} };
    for (const person of dialogue.participants) {
      const state = participantState(byTeacher.get(person.aadObjectId), !unreachable.has(person.aadObjectId));
      if (state === 'done' || state === 'late') counts.done++;
      else if (state === 'in-progress') counts.inProgress++;
      else if (state === 'not-reachable') {
        const reason = unreachable.get(person.aadObjectId) ?? 'other';
        counts.notReached[reason] = (counts.notReached[reason] ?? 0) + 1;
      }
    }
    return counts;
  }

  /**
   * The participations stored so far. While the start job has yet to
   * finish, only those of the batches up to the one its count of queued
   * invitations falls in (it writes a batch's participations, then its
   * invitations, then the next batch): the teachers after them have none
   * yet, so a status card posted while the job runs reads a batch or two
   * instead of every teacher. Once the job is over, or without a bot id (no
   * invitation is queued, so the count says nothing), all are read.
   */
  private async writtenParticipations(dialogue: Dialogue): Promise<Participation[]> {
    const total = dialogue.participants.length;
    const start = await this.deps.scheduler.get(startJobId(dialogue.id));
    const starting = start?.status === 'pending' || start?.status === 'running';
    if (!starting || !dialogue.channel.botId) return this.deps.dialogues.participations(dialogue);
    const queued = await this.queuedInvitations(dialogue);
    const end = startBatches(total).find((batch) => batch > queued) ?? total;
    return this.deps.dialogues.participations({ ...dialogue, participants: dialogue.participants.slice(0, end) });
  }

  private async sendReminders(job: { tenantId: string; dialogueId: string; daysBefore: number }): Promise<void> {
    const dialogue = (await this.deps.dialogues.getDialogue(job.tenantId, job.dialogueId))?.value;
    if (!dialogue || dialogue.status !== 'open' || !dialogue.reminders.enabled) return;
    const participations = new Map((await this.deps.dialogues.participations(dialogue)).map((p) => [p.aadObjectId, p]));
    const languageOf = await this.languagesOfPeople(dialogue);
    const overarching = this.overarchingTitles();
    const recipients: NewRecipient[] = dialogue.participants.flatMap((person) => {
      if (participations.get(person.aadObjectId)?.status === 'done') return [];
      const target = this.personTarget(dialogue, person);
      if (!target) return [];
      const language = languageOf(person);
      const strings = stringsFor(language);
      const card = goalReminderCard(strings, language, dialogue, job.daysBefore, overarching);
      return [{ key: person.aadObjectId, target, activity: cardActivity(card, strings.goals.reminder.title(dialogueTitle(strings, dialogue))) }];
    });
    if (recipients.length === 0) return;
    await this.deps.proactive.enqueue(
      { id: `${JOB_KINDS.reminder}|${dialogue.id}|${job.daysBefore}d`, kind: JOB_KINDS.reminder, tenantId: dialogue.tenantId },
      recipients,
    );
    this.log.info({ dialogueId: dialogue.id, daysBefore: job.daysBefore, reminders: recipients.length }, 'goal reminders queued');
  }

  private async sendDigest(job: { tenantId: string; dialogueId: string; from: string; to: string }): Promise<void> {
    const dialogue = (await this.deps.dialogues.getDialogue(job.tenantId, job.dialogueId))?.value;
    if (!dialogue) return;
    const confirmed = (await this.deps.dialogues.participations(dialogue)).filter(
      (p) => p.confirmedAt !== undefined && p.confirmedAt >= job.from && p.confirmedAt < job.to,
    );
    const target = this.personTarget(dialogue, dialogue.principal);
    if (confirmed.length === 0 || !target) return;
    const strings = stringsFor((await this.languagesOfPeople(dialogue))(dialogue.principal));
    const names = confirmed.map((p) => p.name).sort((a, b) => a.localeCompare(b, 'sv'));
    const text = strings.goals.principal.digest(dialogueTitle(strings, dialogue), names.join(', '));
    const activity: OutgoingActivity = { type: 'message', textFormat: 'markdown', text };
    await this.deps.proactive.enqueue({ id: `${JOB_KINDS.digest}|${dialogue.id}|${job.from}`, kind: JOB_KINDS.digest, tenantId: dialogue.tenantId }, [
      { key: dialogue.principal.aadObjectId, target, activity },
    ]);
  }

  private async promptProgress(progress: JobProgress): Promise<void> {
    const dialogueId = progress.reportTo?.dialogueId;
    if (typeof dialogueId !== 'string' || progress.failed === 0) return;
    const dialogue = (await this.deps.dialogues.getDialogue(progress.tenantId, dialogueId))?.value;
    if (dialogue) await this.progressChanged(dialogue);
  }

  // --- Helpers ---

  private async planReminders(dialogue: Dialogue): Promise<void> {
    const now = this.deps.now();
    for (const days of dialogue.reminders.daysBefore) {
      const day = addDays(dialogue.deadline, -days);
      const dueAt = zonedTime(day, this.options.reminderTime, this.deps.timeZone);
      if (dueAt <= now || day <= localDateOf(now, this.deps.timeZone)) continue;
      await this.deps.scheduler.schedule({
        id: `${JOB_KINDS.reminder}|${dialogue.id}|${days}d`,
        kind: JOB_KINDS.reminder,
        dueAt,
        payload: { tenantId: dialogue.tenantId, dialogueId: dialogue.id, daysBefore: days },
      });
    }
  }

  /**
   * One job per dialogue and time window: every change within the window
   * schedules the same job (unchanged the second time), which runs once at
   * the window's end.
   */
  private async scheduleInWindow(kind: string, dialogue: Dialogue, windowMs: number, extra: object | ((from: Date, to: Date) => object)): Promise<void> {
    const now = this.deps.now().getTime();
    const from = new Date(Math.floor(now / windowMs) * windowMs);
    const to = new Date(from.getTime() + windowMs);
    const fields: object = extra instanceof Function ? extra(from, to) : extra;
    const payload = { tenantId: dialogue.tenantId, dialogueId: dialogue.id, ...fields };
    await this.deps.scheduler.schedule({ id: `${kind}|${dialogue.id}|${from.toISOString()}`, kind, dueAt: to, payload });
    this.deps.scheduler.wakeAt(to);
  }

  private personTarget(dialogue: Dialogue, person: { userId: string; aadObjectId: string }): DeliveryTarget | undefined {
    const target = personTarget(dialogue, person);
    if (!target) this.log.warn({ dialogueId: dialogue.id }, 'the dialogue has no bot id; cannot reach people in 1:1');
    return target;
  }

  /** Each person's chosen language, else the dialogue's: one read of the tenant's choices per batch. */
  private async languagesOfPeople(dialogue: Dialogue): Promise<(person: { aadObjectId: string }) => Language> {
    const chosen = await this.deps.languages.chosenLanguagesIn(dialogue.tenantId);
    const fallback = this.languageOf(dialogue);
    return (person) => chosen.get(person.aadObjectId) ?? fallback;
  }

  private languageOf(dialogue: Dialogue): Language {
    return dialogue.channel.language ?? languageOf(undefined, this.deps.defaultLocale);
  }

  private overarchingTitles(): Map<string, string> {
    // What a dialogue's goals serve: overarching goals (a school's dialogue) or framework items (the principals' dialogue).
    const { overarchingGoals, framework } = this.deps.organisation.file.organisation;
    return new Map([...(framework?.items ?? []), ...overarchingGoals].map((goal) => [goal.id, goal.title]));
  }
}

function startJobId(dialogueId: string): string {
  return `${JOB_KINDS.start}|${dialogueId}`;
}

export function promptJobId(dialogueId: string): string {
  return `${JOB_KINDS.prompt}|${dialogueId}`;
}

function firstName(person: { name: string; givenName?: string }): string {
  return person.givenName || person.name.split(' ')[0] || person.name;
}
