import { z } from 'zod';

/**
 * The organisation (huvudman) as its file describes it: overarching goals,
 * the läsår, and each school (enhet) with its staff team, principals, goals
 * and fokusområde. Validated with zod; the loader maps problems to lines.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoDate = z
  .string()
  .regex(ISO_DATE, 'must be a date written YYYY-MM-DD')
  .refine((value) => !ISO_DATE.test(value) || isRealDate(value), 'is not a real date');

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, e.g. "trygghet"');

/** A person named by Entra object id, by e-mail/UPN, or both. */
const personRef = z
  .object({
    name: z.string().min(1).optional(),
    aadObjectId: z.string().regex(GUID, 'must be an Entra object id (a GUID)').optional(),
    upn: z.string().email('must be an e-mail address / UPN').optional(),
  })
  .refine((person) => person.aadObjectId || person.upn, 'needs aadObjectId or upn');

const holiday = z.union([isoDate, z.string().regex(/^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/, 'must be a date or a range written YYYY-MM-DD/YYYY-MM-DD')]);

const goal = z.object({
  id,
  title: z.string().trim().min(3, 'is too short').max(200, 'is longer than 200 characters'),
  description: z.string().trim().max(2000).optional(),
});

export const organisationSchema = z
  .object({
    organisation: z.object({
      name: z.string().trim().min(1),
      admins: z.array(personRef).default([]),
      overarchingGoals: z.array(goal).min(1, 'needs at least one overarching goal'),
    }),
    schoolYear: z
      .object({
        name: z.string().trim().min(1),
        start: isoDate,
        end: isoDate,
        autumnTermEnd: isoDate.optional(),
        holidays: z.array(holiday).default([]),
      })
      .refine((year) => year.start < year.end, { message: 'start must be before end', path: ['end'] }),
    schools: z
      .array(
        z
          .object({
            id,
            name: z.string().trim().min(1),
            teamId: z.string().startsWith('19:', 'must be the staff team\'s id, "19:…@thread.tacv2"').optional(),
            teamAadGroupId: z.string().regex(GUID, "must be the team's Microsoft 365 group id (a GUID)").optional(),
            principals: z.array(personRef).min(1, 'needs at least one principal'),
            focusArea: z.object({ title: z.string().trim().min(1), period: z.string().trim().optional() }).optional(),
            goals: z.array(goal.extend({ serves: z.array(id).default([]) })).default([]),
          })
          .refine((school) => school.teamId || school.teamAadGroupId, 'needs teamId or teamAadGroupId'),
      )
      .min(1, 'needs at least one school'),
    /** Settings of every learning group in the organisation. */
    learningGroups: z
      .object({
        /**
         * The samtalsledare gets the before check-in's summary this many hours
         * before the meeting starts, to prepare (0: when the meeting starts).
         */
        beforeSummaryLeadHours: z
          .number()
          .min(0)
          .max(24 * 14)
          .default(2),
      })
      .default({}),
  })
  .superRefine((file, ctx) => {
    const overarching = new Set(file.organisation.overarchingGoals.map((g) => g.id));
    const schoolIds = new Set<string>();
    file.schools.forEach((school, s) => {
      if (schoolIds.has(school.id)) ctx.addIssue({ code: 'custom', path: ['schools', s, 'id'], message: `"${school.id}" is used by two schools` });
      schoolIds.add(school.id);
      const goalIds = new Set<string>();
      school.goals.forEach((g, i) => {
        if (goalIds.has(g.id)) ctx.addIssue({ code: 'custom', path: ['schools', s, 'goals', i, 'id'], message: `"${g.id}" is used by two goals` });
        goalIds.add(g.id);
        g.serves.forEach((served, j) => {
          if (!overarching.has(served)) {
            ctx.addIssue({ code: 'custom', path: ['schools', s, 'goals', i, 'serves', j], message: `"${served}" is not an overarching goal` });
          }
        });
      });
    });
  });

export type OrganisationFile = z.infer<typeof organisationSchema>;
export type School = OrganisationFile['schools'][number];
export type PersonRef = z.infer<typeof personRef>;

/** Someone as Teams knows them in a turn. */
export interface Actor {
  aadObjectId?: string;
  upn?: string;
}

function samePerson(ref: PersonRef, actor: Actor): boolean {
  if (ref.aadObjectId && actor.aadObjectId && ref.aadObjectId.toLowerCase() === actor.aadObjectId.toLowerCase()) return true;
  return Boolean(ref.upn && actor.upn && ref.upn.toLowerCase() === actor.upn.toLowerCase());
}

export class Organisation {
  constructor(readonly file: OrganisationFile) {}

  get name(): string {
    return this.file.organisation.name;
  }

  schoolByTeam(team: { teamId?: string; aadGroupId?: string }): School | undefined {
    return this.file.schools.find(
      (school) =>
        (team.teamId !== undefined && school.teamId === team.teamId) ||
        (team.aadGroupId !== undefined && school.teamAadGroupId?.toLowerCase() === team.aadGroupId.toLowerCase()),
    );
  }

  schoolById(schoolId: string): School | undefined {
    return this.file.schools.find((school) => school.id === schoolId);
  }

  isAdmin(actor: Actor): boolean {
    return this.file.organisation.admins.some((admin) => samePerson(admin, actor));
  }

  isPrincipalOf(school: School, actor: Actor): boolean {
    return school.principals.some((principal) => samePerson(principal, actor));
  }

  /** Principal of the school, or an organisation admin: may start and manage its dialogues. */
  mayManage(school: School, actor: Actor): boolean {
    return this.isPrincipalOf(school, actor) || this.isAdmin(actor);
  }

  schoolsManagedBy(actor: Actor): School[] {
    return this.file.schools.filter((school) => this.mayManage(school, actor));
  }

  /** Every holiday as single ISO dates. */
  holidays(): string[] {
    const days: string[] = [];
    for (const entry of this.file.schoolYear.holidays) {
      const [from, to = from] = entry.split('/') as [string, string?];
      for (let day = new Date(`${from}T00:00:00Z`); day <= new Date(`${to}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
        days.push(day.toISOString().slice(0, 10));
      }
    }
    return days;
  }
}
