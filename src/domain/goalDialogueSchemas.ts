import { z } from 'zod';

/**
 * The stored shapes of a målsamtal: the dialogue, each teacher's
 * participation and goal drafts (zod schemas; types derived from them).
 * The rules that move them live in goalDialogue.ts.
 */

/** The five questions of one goal, in order. `support` is optional. */
export const GOAL_STEPS = ['schoolGoals', 'goal', 'how', 'evidence', 'support'] as const;
export type GoalStep = (typeof GOAL_STEPS)[number];
export const TEXT_STEPS = ['goal', 'how', 'evidence', 'support'] as const;
export type TextStep = (typeof TEXT_STEPS)[number];

/** Answers are kept up to this many characters; a longer one is refused with a message. */
export const MAX_ANSWER_CHARS = 4000;
/** Shorter answers to the required text steps get one gentle follow-up question. */
export const MIN_ANSWER_CHARS = 20;
export const MAX_GOALS = 3;

export const goalDraftSchema = z.object({
  schoolGoalIds: z.array(z.string()).default([]),
  goal: z.string().optional(),
  how: z.string().optional(),
  evidence: z.string().optional(),
  support: z.string().optional(),
  /** The teacher said they need no support. */
  supportSkipped: z.boolean().default(false),
  /** Steps where the follow-up question was already asked (asked once only). */
  followedUp: z.array(z.enum(GOAL_STEPS)).default([]),
});
export type GoalDraft = z.infer<typeof goalDraftSchema>;

/** A fokusområde as a principal proposes it in the målsamtal with the managers; its goals by their number among the principal's goals. */
export const focusProposalSchema = z.object({
  title: z.string(),
  period: z.string().default(''),
  why: z.string().default(''),
  goalIndexes: z.array(z.number().int().min(0)).default([]),
});
export type FocusProposal = z.infer<typeof focusProposalSchema>;

export const dialogueSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  schoolId: z.string(),
  title: z.string(),
  /**
   * Set when the principal kept the suggested title ("Målsamtal HT 2026"):
   * each reader then sees it in their own language ("Goal dialogue autumn
   * 2026"); `title` keeps the words as submitted. A title the principal
   * wrote is shown as written.
   */
  term: z.object({ term: z.enum(['HT', 'VT']), year: z.number().int() }).optional(),
  /** The school goals the teachers relate to, as they read when the dialogue started. */
  schoolGoals: z.array(z.object({ id: z.string(), title: z.string(), serves: z.array(z.string()) })),
  /** The school's fokusområde as it read when the dialogue started, if it had one. */
  focusArea: z.object({ title: z.string(), why: z.string() }).optional(),
  /** Local date (YYYY-MM-DD), end of day in the school's time zone. */
  deadline: z.string(),
  participants: z.array(z.object({ aadObjectId: z.string(), userId: z.string(), name: z.string(), givenName: z.string().optional() })),
  reminders: z.object({ enabled: z.boolean(), daysBefore: z.array(z.number().int().positive()) }),
  principal: z.object({ aadObjectId: z.string(), userId: z.string(), name: z.string() }),
  channel: z.object({
    conversationId: z.string(),
    serviceUrl: z.string(),
    statusActivityId: z.string().optional(),
    /**
     * The conversation of the status card when it is not the channel's
     * (`conversationId`): the thread of the start form, when the channel
     * refused a new post.
     */
    statusConversationId: z.string().optional(),
    /** The thread the dialogue was started in (the conversation with ";messageid=…") and its start form. */
    thread: z.object({ conversationId: z.string(), formActivityId: z.string().optional() }).optional(),
    /** The bot's id in the tenant (28:…), for creating 1:1 chats with the participants. */
    botId: z.string().optional(),
    /** The language the dialogue was started in: of the status card, the invitations and the reminders. */
    language: z.enum(['sv', 'en']).optional(),
  }),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  /**
   * The läsår the dialogue belongs to (an id of the organisation file's
   * `schoolYears`), set when it starts. Dialogues stored before läsår were
   * kept have none: they belong to the läsår their start date falls in
   * (dialogueSchoolYearId in goalDialogueYears.ts).
   */
  schoolYearId: z.string().optional(),
  closedAt: z.string().optional(),
  /** When the principal last opened the closed dialogue again. */
  reopenedAt: z.string().optional(),
});
export type Dialogue = z.infer<typeof dialogueSchema>;

export const participationSchema = z.object({
  dialogueId: z.string(),
  aadObjectId: z.string(),
  userId: z.string(),
  name: z.string(),
  status: z.enum(['not-started', 'in-progress', 'done']),
  goals: z.array(goalDraftSchema).default([]),
  /** Where the teacher is: a step of a goal, or the summary. */
  cursor: z.object({ goalIndex: z.number().int().min(0), step: z.union([z.enum(GOAL_STEPS), z.literal('summary')]) }),
  /** Set while editing a confirmed goal: after the step, back to the summary. */
  editing: z.boolean().default(false),
  /** The follow-up question for the cursor's step was just asked: the next answer adds to the first. */
  awaitingFollowUp: z.boolean().default(false),
  paused: z.boolean().default(false),
  startedAt: z.string().optional(),
  confirmedAt: z.string().optional(),
  late: z.boolean().default(false),
  /** Versions of confirmed goals, oldest first. */
  versions: z.number().int().default(0),
  /** The local day (YYYY-MM-DD) the principal last sent a reminder: at most one a day. */
  remindedOn: z.string().optional(),
  updatedAt: z.string(),
  /**
   * The teacher's latest activities that reached these goals (the newest
   * last): the save that records one is its claim, so a redelivery finds its
   * id here and takes no effect (goalDialogueSteps.ts, teacherAct).
   */
  handledActivities: z.array(z.string()).optional(),
  /**
   * Set when the teacher started from her goals of the previous läsår
   * ("Utgå från förra läsårets mål"): the dialogue they came from. They are
   * copied once; a second click or a redelivery finds this and copies nothing.
   */
  carriedOver: z.object({ dialogueId: z.string(), at: z.string() }).optional(),
  /** In the målsamtal with the principals: the fokusområde proposed for the school(s), or that the current one stays (./cascadeFocus). */
  focusArea: z.union([z.object({ kept: z.literal(true) }), focusProposalSchema]).optional(),
});
export type Participation = z.infer<typeof participationSchema>;

export function newParticipation(dialogueId: string, person: { aadObjectId: string; userId: string; name: string }, now: Date): Participation {
  return {
    dialogueId,
    ...person,
    status: 'not-started',
    goals: [],
    cursor: { goalIndex: 0, step: 'schoolGoals' },
    editing: false,
    awaitingFollowUp: false,
    paused: false,
    late: false,
    versions: 0,
    updatedAt: now.toISOString(),
  };
}
