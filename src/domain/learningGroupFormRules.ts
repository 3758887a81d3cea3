import { z } from 'zod';
import { localDateSchema } from '../time';
import { type Group, GROUP_KINDS, type GroupMember, MAX_MEETINGS, MAX_MEMBERS, PRIVACY } from './learningGroup';
import type { Person } from './learningGroupService';

/**
 * The group form: what it submits, its default times, and the rules its
 * values are checked by (answered on the form itself, not as an error).
 */

/** The group form as submitted (Input.* values are strings). */
export const groupFormSchema = z.object({
  groupId: z.string().optional(),
  /** The new-group form's own id (formIds.ts): the id of the group it creates. */
  formId: z.string().optional(),
  name: z.string().default(''),
  kind: z.string().default('lärgrupp'),
  subject: z.string().default(''),
  grades: z.string().default(''),
  facilitator: z.string().default(''),
  members: z.string().default(''),
  studentHealth: z.string().default(''),
  treatment: z.string().default(''),
  meetingCount: z.string().default(''),
  startTime: z.string().default(''),
  endTime: z.string().default(''),
  dates: z.array(z.string()).default([]),
  privacy: z.string().default('totals'),
  beforeLeadHours: z.string().default('24'),
  reminderLeadHours: z.string().default('24'),
  /** "true" when the group is to belong to the organisation, with members from several schools (./learningGroupNetwork). */
  crossSchool: z.string().default(''),
  /** The development area of a group across schools (an id of the organisation file's developmentAreas). */
  area: z.string().default(''),
});
export type GroupForm = z.infer<typeof groupFormSchema>;

export type GroupProblem = 'name' | 'kind' | 'members' | 'facilitator' | 'meetings' | 'dates' | 'times' | 'privacy' | 'lead' | 'area';

export const DEFAULT_START = '15:30';
export const DEFAULT_END = '17:00';

/** The ids in a picker's value ("a,b,c"), each once, in order. */
export function idsIn(value: string): string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
}

/** Checks a group form against the conversation's members, on `today`; the problems, or the group's parts. */
export function validateGroupForm(
  form: GroupForm,
  members: Person[],
  today: string,
):
  | { problems: GroupProblem[] }
  | {
      parts: Pick<
        Group,
        'name' | 'kind' | 'subject' | 'grades' | 'facilitator' | 'members' | 'startTime' | 'endTime' | 'privacy' | 'beforeLeadHours' | 'reminderLeadHours'
      > & { dates: string[] };
    } {
  const problems: GroupProblem[] = [];
  const name = form.name.trim();
  if (!name || name.length > 100) problems.push('name');
  if (!(GROUP_KINDS as readonly string[]).includes(form.kind)) problems.push('kind');
  if (!(PRIVACY as readonly string[]).includes(form.privacy)) problems.push('privacy');
  const byId = new Map(members.map((m) => [m.aadObjectId, m]));
  const chosen = idsIn(form.members).filter((id) => byId.has(id));
  if (chosen.length === 0 || chosen.length > MAX_MEMBERS || idsIn(form.members).length !== chosen.length) problems.push('members');
  const facilitator = byId.get(form.facilitator);
  if (!facilitator) problems.push('facilitator');
  const dates = form.dates.map((d) => d.trim()).filter(Boolean);
  if (dates.length === 0 || dates.length > MAX_MEETINGS) problems.push('meetings');
  else if (dates.some((d) => !localDateSchema.safeParse(d).success) || new Set(dates).size !== dates.length) problems.push('dates');
  else if (!form.groupId && dates.some((d) => d < today)) problems.push('dates');
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (!time.test(form.startTime) || !time.test(form.endTime) || form.startTime >= form.endTime) problems.push('times');
  const before = Number(form.beforeLeadHours);
  const reminder = Number(form.reminderLeadHours);
  if (!Number.isFinite(before) || before < 0 || before > 336 || !Number.isFinite(reminder) || reminder < 0 || reminder > 336) problems.push('lead');
  if (problems.length > 0 || !facilitator) return { problems };
  const health = new Set(idsIn(form.studentHealth));
  const treatment = new Set(idsIn(form.treatment));
  const groupMembers: GroupMember[] = chosen.map((id) => {
    const m = byId.get(id)!;
    const role = health.has(id) ? 'elevhälsa' : treatment.has(id) ? 'behandlingspersonal' : 'lärare';
    return { aadObjectId: m.aadObjectId, userId: m.userId, name: m.name, role };
  });
  if (!groupMembers.some((m) => m.aadObjectId === facilitator.aadObjectId)) {
    groupMembers.push({ aadObjectId: facilitator.aadObjectId, userId: facilitator.userId, name: facilitator.name, role: 'lärare' });
  }
  return {
    parts: {
      name,
      kind: form.kind as Group['kind'],
      ...(form.subject.trim() ? { subject: form.subject.trim().slice(0, 100) } : {}),
      ...(form.grades.trim() ? { grades: form.grades.trim().slice(0, 50) } : {}),
      facilitator: { aadObjectId: facilitator.aadObjectId, userId: facilitator.userId, name: facilitator.name },
      members: groupMembers,
      startTime: form.startTime,
      endTime: form.endTime,
      privacy: form.privacy as Group['privacy'],
      beforeLeadHours: before,
      reminderLeadHours: reminder,
      dates: [...dates].sort(),
    },
  };
}
