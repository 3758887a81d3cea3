import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { localDateOf } from '../time';

/**
 * Lärgrupper: groups that meet on dated meetings (about six a läsår) and
 * answer a check-in (incheckning) before and after each meeting, in the
 * cycle of collegial learning: prepare alone → discuss and plan together →
 * try it in the classroom → follow up together. Plain data and rules.
 */

export const GROUP_KINDS = ['lärgrupp', 'utvecklingsgrupp', 'nätverk', 'fokusgrupp', 'förstelärarnätverk'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
/** Meetings per läsår a kind of group has by default (seed 004: lärgrupper 6; seed 002: utvecklingsgrupper about 5). */
export const DEFAULT_MEETINGS: Record<GroupKind, number> = { lärgrupp: 6, utvecklingsgrupp: 5, nätverk: 5, fokusgrupp: 6, förstelärarnätverk: 5 };

export const MEMBER_ROLES = ['lärare', 'förstelärare', 'elevhälsa', 'behandlingspersonal', 'rektor', 'annan'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** What the group sees of its answers: everything with names, counts only, or counts only once three have answered. */
export const PRIVACY = ['named', 'totals', 'anonymous'] as const;
export type Privacy = (typeof PRIVACY)[number];
/** In anonymous groups no total is shown until at least this many have answered. */
export const ANONYMOUS_MINIMUM = 3;

export const PHASES = ['before', 'after'] as const;
export type Phase = (typeof PHASES)[number];

export const MAX_TEXT_ANSWER = 2000;
/**
 * Questions per check-in. An answer is one table row holding every value as
 * JSON in one property (at most 32K characters): six texts of 2,000
 * characters fit even when every character needs escaping.
 */
export const MAX_QUESTIONS = 6;
// eslint-disable-next-line no-control-regex -- control characters other than tab and line breaks are dropped from answers
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
export const MAX_MEMBERS = 60;
export const MAX_MEETINGS = 20;

export const questionSchema = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]{0,30}$/),
  kind: z.enum(['text', 'rating', 'goal']),
  label: z.string().min(1).max(300),
  required: z.boolean(),
});
export type Question = z.infer<typeof questionSchema>;

const person = { aadObjectId: z.string(), userId: z.string(), name: z.string() };
export const memberSchema = z.object({
  ...person,
  role: z.enum(MEMBER_ROLES).default('lärare'),
  /** In a group across schools: the school (enhet) the member comes from, by id (see ./learningGroupNetwork). */
  unit: z.string().optional(),
});
export type GroupMember = z.infer<typeof memberSchema>;

export const meetingSchema = z.object({
  id: z.string(),
  /** Local date in the school's time zone. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Questions of this meeting only, replacing the group's. */
  questions: z.object({ before: z.array(questionSchema).optional(), after: z.array(questionSchema).optional() }).default({}),
});
export type Meeting = z.infer<typeof meetingSchema>;

/**
 * A group of the organisation (a nätverk, an utvecklingsgrupp, a
 * förstelärarnätverk) with members from several schools: its development
 * area and the schools as the organisation file named them when it was
 * created, so that its cards read without the file.
 */
export const crossSchoolSchema = z.object({
  area: z.object({ id: z.string(), title: z.string() }).optional(),
  /** The schools members come from and choose among. */
  units: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type CrossSchool = z.infer<typeof crossSchoolSchema>;

export const groupSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  /** Where the group lives and its check-ins are posted. */
  conversation: z.object({
    conversationId: z.string(),
    serviceUrl: z.string(),
    kind: z.enum(['channel', 'groupChat', 'meeting']),
    botId: z.string(),
    language: z.enum(['sv', 'en']),
  }),
  name: z.string().min(1).max(100),
  kind: z.enum(GROUP_KINDS),
  subject: z.string().max(100).optional(),
  grades: z.string().max(50).optional(),
  /** Set when the group belongs to the organisation rather than one school (see ./learningGroupNetwork). */
  crossSchool: crossSchoolSchema.optional(),
  facilitator: z.object(person),
  members: z.array(memberSchema),
  /** Local times of day, HH:MM. */
  startTime: z.string().regex(/^\d{2}:\d{2}$/),
  endTime: z.string().regex(/^\d{2}:\d{2}$/),
  meetings: z.array(meetingSchema),
  privacy: z.enum(PRIVACY),
  questions: z.object({ before: z.array(questionSchema), after: z.array(questionSchema) }),
  /** The before check-in is posted this long before a meeting starts. */
  beforeLeadHours: z
    .number()
    .min(0)
    .max(24 * 14),
  /** Members who have not answered are reminded this long before a check-in closes. */
  reminderLeadHours: z
    .number()
    .min(0)
    .max(24 * 14),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /**
   * The läsår the group belongs to (an id of the organisation file's
   * `schoolYears`), set when it is created; its check-ins and their answers
   * belong to the same läsår. Groups created before läsår were kept have
   * none: they belong to the läsår of their creation date (groupSchoolYearId).
   */
  schoolYearId: z.string().optional(),
});
export type Group = z.infer<typeof groupSchema>;

/** The läsår a group, and so each of its check-ins and answers, belongs to. */
export function groupSchoolYearId(
  organisation: { schoolYearOn(date: string): { id: string } },
  group: Pick<Group, 'schoolYearId' | 'createdAt'>,
  timeZone: string,
): string {
  return group.schoolYearId ?? organisation.schoolYearOn(localDateOf(new Date(group.createdAt), timeZone)).id;
}

/** One check-in: a meeting's before or after questions, posted once, open until it closes. Its läsår is its group's. */
export const checkInSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  groupId: z.string(),
  meetingId: z.string(),
  phase: z.enum(PHASES),
  questions: z.array(questionSchema),
  /** Members when it was posted: who may answer, who is counted. */
  members: z.array(memberSchema),
  postedAt: z.string(),
  closesAt: z.string(),
  /** The group's card in its conversation, updated in place. */
  activityId: z.string().optional(),
  status: z.enum(['open', 'closed']),
  closedAt: z.string().optional(),
  /**
   * A secret of this check-in alone (random, never shown): the order of its
   * answers where no name is shown (see answersWithoutNames). Check-ins
   * posted before it existed have none.
   */
  answerOrderKey: z.string().optional(),
});
export type CheckIn = z.infer<typeof checkInSchema>;

export const answerValueSchema = z.union([z.string(), z.number()]);
export const answerSchema = z.object({
  checkInId: z.string(),
  aadObjectId: z.string(),
  name: z.string(),
  values: z.record(answerValueSchema),
  answeredAt: z.string(),
  updatedAt: z.string(),
  /** Where the answer came from: the group's card, or the reminder in 1:1. */
  via: z.enum(['group', 'personal']),
  /**
   * The goals of hers it names (the values of the check-in's goal
   * questions): a learning-group reflection on each, which the follow-up's
   * analysis counts. Absent when it names none.
   */
  goalIds: z.array(z.string()).optional(),
  /**
   * The latest activities that saved it: its save is their claim (once.ts),
   * so that an activity delivered again finds itself here and does nothing.
   */
  handledActivities: z.array(z.string()).optional(),
});
export type Answer = z.infer<typeof answerSchema>;

/** How many of the activities that saved an answer it remembers: far more than Teams redelivers in its minutes of retries. */
const HANDLED_ACTIVITIES_KEPT = 20;

/** A new answer (`answer`, without activities) with those of the `earlier` one and the activity that saves it (that save is its claim). */
export function withHandledActivity(answer: Answer, earlier: Answer | undefined, activityId: string | undefined): Answer {
  const handled = [...(earlier?.handledActivities ?? []), ...(activityId ? [activityId] : [])].slice(-HANDLED_ACTIVITIES_KEPT);
  return handled.length > 0 ? { ...answer, handledActivities: handled } : answer;
}

/** The goals an answer's values name in the check-in's goal questions (validated by validateAnswer as hers), each once. */
export function goalsNamed(questions: Question[], values: Answer['values']): string[] {
  const named = questions.filter((q) => q.kind === 'goal').flatMap((q) => String(values[q.id] ?? '').split(','));
  return [...new Set(named.map((id) => id.trim()).filter(Boolean))];
}

export function checkInId(groupId: string, meetingId: string, phase: Phase): string {
  return `${groupId}~${meetingId}~${phase}`;
}

export function parseCheckInId(id: string): { groupId: string; meetingId: string; phase: Phase } | undefined {
  const [groupId, meetingId, phase] = id.split('~');
  if (!groupId || !meetingId || (phase !== 'before' && phase !== 'after')) return undefined;
  return { groupId, meetingId, phase };
}

/** The questions of a meeting's check-in: the meeting's own, else the group's. */
export function questionsFor(group: Group, meeting: Meeting, phase: Phase): Question[] {
  return meeting.questions[phase] ?? group.questions[phase];
}

export function meetingsInOrder(group: Group): Meeting[] {
  return [...group.meetings].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

export function nextMeetingAfter(group: Group, meeting: Meeting): Meeting | undefined {
  const ordered = meetingsInOrder(group);
  return ordered[ordered.findIndex((m) => m.id === meeting.id) + 1];
}

export type AnswerProblem = { questionId: string; problem: 'required' | 'tooLong' | 'rating' | 'goal' };

/**
 * Checks a submission against the check-in's questions; returns the clean
 * values, or the problems (then nothing may be stored).
 */
export function validateAnswer(
  questions: Question[],
  input: Record<string, unknown>,
  goalIds: ReadonlySet<string>,
): { values: Record<string, string | number> } | { problems: AnswerProblem[] } {
  const values: Record<string, string | number> = {};
  const problems: AnswerProblem[] = [];
  for (const question of questions) {
    const raw = input[question.id];
    const given = typeof raw === 'string' ? raw.replace(CONTROL_CHARACTERS, '').trim() : typeof raw === 'number' ? String(raw) : '';
    // A goal answer of only separators is no answer.
    const text = question.kind === 'goal' && given.replace(/[\s,]/g, '') === '' ? '' : given;
    if (!text) {
      if (question.required) problems.push({ questionId: question.id, problem: 'required' });
      continue;
    }
    if (question.kind === 'rating') {
      const rating = Number(text);
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) problems.push({ questionId: question.id, problem: 'rating' });
      else values[question.id] = rating;
    } else if (question.kind === 'goal') {
      const ids = text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (ids.some((id) => !goalIds.has(id))) problems.push({ questionId: question.id, problem: 'goal' });
      else values[question.id] = ids.join(',');
    } else if (text.length > MAX_TEXT_ANSWER) {
      problems.push({ questionId: question.id, problem: 'tooLong' });
    } else {
      values[question.id] = text;
    }
  }
  return problems.length > 0 ? { problems } : { values };
}

export interface Aggregate {
  members: number;
  answered: number;
  /** False in an anonymous group below ANONYMOUS_MINIMUM answers: nothing but "few have answered" may be shown. */
  visible: boolean;
  ratingQuestionId?: string;
  ratingCount: number;
  ratingAverage?: number;
  /** Answers per rating 1–5. */
  distribution: [number, number, number, number, number];
  /** Only in named groups: who answered what, per text question. */
  named?: { questionId: string; entries: { name: string; text: string }[] }[];
}

/** What the group may see of a check-in's answers, by the group's privacy. */
export function aggregate(checkIn: CheckIn, answers: Answer[], privacy: Privacy): Aggregate {
  const memberIds = new Set(checkIn.members.map((m) => m.aadObjectId));
  const counted = answers.filter((answer) => memberIds.has(answer.aadObjectId));
  const rating = checkIn.questions.find((q) => q.kind === 'rating');
  const distribution: Aggregate['distribution'] = [0, 0, 0, 0, 0];
  let sum = 0;
  let ratingCount = 0;
  for (const answer of counted) {
    const value = rating ? answer.values[rating.id] : undefined;
    if (typeof value === 'number' && value >= 1 && value <= 5) {
      distribution[value - 1] = (distribution[value - 1] ?? 0) + 1;
      sum += value;
      ratingCount += 1;
    }
  }
  const visible = privacy !== 'anonymous' || counted.length >= ANONYMOUS_MINIMUM;
  const result: Aggregate = {
    members: checkIn.members.length,
    answered: counted.length,
    visible,
    ...(rating ? { ratingQuestionId: rating.id } : {}),
    ratingCount: visible ? ratingCount : 0,
    ...(visible && ratingCount > 0 ? { ratingAverage: Math.round((sum / ratingCount) * 10) / 10 } : {}),
    distribution: visible ? distribution : [0, 0, 0, 0, 0],
  };
  if (privacy === 'named') {
    const sorted = [...counted].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    result.named = checkIn.questions
      .filter((q) => q.kind === 'text')
      .map((q) => ({
        questionId: q.id,
        entries: sorted.flatMap((answer) => {
          const text = answer.values[q.id];
          return typeof text === 'string' ? [{ name: answer.name, text }] : [];
        }),
      }));
  }
  return result;
}

/**
 * A question's answers where no name is shown (an anonymous group, the
 * learning log of a group that is not named), in an order that tells
 * nothing about who wrote them: by a keyed hash of the question and the
 * author under the check-in's own secret key. Without the key nobody can
 * work the order out from the members' ids; it is the same every time the
 * card is drawn, differs between check-ins and between the questions of one
 * check-in (so places do not link one person's answers), and is neither
 * alphabetical nor the members' order. A check-in without a key (posted
 * before there were keys) orders by the text itself.
 */
export function answersWithoutNames(checkIn: CheckIn, questionId: string, answers: Answer[]): string[] {
  const texts = answers.flatMap((answer) => {
    const text = answer.values[questionId];
    return typeof text === 'string' ? [{ text, author: answer.aadObjectId }] : [];
  });
  const key = checkIn.answerOrderKey;
  if (!key) return texts.map((t) => t.text).sort();
  const place = (author: string) => createHmac('sha256', key).update(`${questionId}\n${author}`).digest('hex');
  return texts
    .map((t) => ({ text: t.text, place: place(t.author) }))
    .sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0))
    .map((t) => t.text);
}

/** A check-in with its group, its answers and what the group may see of them. */
export interface CheckInView {
  group: Group;
  checkIn: CheckIn;
  aggregate: Aggregate;
  answers: Answer[];
}

export function checkInView(group: Group, checkIn: CheckIn, answers: Answer[]): CheckInView {
  return { group, checkIn, answers, aggregate: aggregate(checkIn, answers, group.privacy) };
}
