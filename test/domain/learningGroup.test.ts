import { join } from 'node:path';
import {
  aggregate,
  type Answer,
  type CheckIn,
  checkInId,
  type Group,
  type GroupMember,
  MAX_TEXT_ANSWER,
  type Meeting,
  type Question,
  validateAnswer,
} from '../../src/domain/learningGroup';
import type { GroupAccess } from '../../src/domain/learningGroupAccess';
import { beforeSummaryTime, closeTime, postTime, reminderTime } from '../../src/domain/learningGroupCalendar';
import { type GroupForm, groupFormSchema } from '../../src/domain/learningGroupFormRules';
import { type GroupConversation, type LearningGroupEffects, LearningGroupService, type Person } from '../../src/domain/learningGroupService';
import { defaultCheckInQuestions } from '../../src/i18n';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';
import { isoWeekday } from '../../src/time';
import { openStores, type Stores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';
import { sampleAnswer, sampleGroup, STAFF } from '../helpers/learningGroups';

const timeZone = 'Europe/Stockholm';
const organisation = loadOrganisation(join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml'));

const people = STAFF.slice(0, 4);
const members: GroupMember[] = people.map((p) => ({ ...p, role: 'lärare' }));
const outsider: Person = { aadObjectId: 'aad-olle', userId: '29:olle', name: 'Olle Utanför' };

const afterQuestions = defaultCheckInQuestions('sv').after;

function checkIn(overrides: Partial<CheckIn> = {}): CheckIn {
  return {
    id: 'g1~m1~after',
    tenantId: 'tenant',
    groupId: 'g1',
    meetingId: 'm1',
    phase: 'after',
    questions: afterQuestions,
    members,
    postedAt: '2026-09-15T15:00:00.000Z',
    closesAt: '2026-10-06T13:30:00.000Z',
    status: 'open',
    ...overrides,
  };
}

function answer(person: Person, values: Answer['values']): Answer {
  return sampleAnswer('g1~m1~after', person, values);
}

function group(overrides: Partial<Group> = {}): Group {
  return sampleGroup({ id: 'g1', facilitator: people[0]!, members, ...overrides });
}

function meetings(...dates: string[]): Meeting[] {
  return dates.map((date, index) => ({ id: `m${index + 1}`, date, questions: {} }));
}

describe('validating a check-in answer', () => {
  const questions: Question[] = [
    { id: 'plan', kind: 'text', label: 'Vad ska du pröva?', required: true },
    { id: 'support', kind: 'text', label: 'Vilket stöd behöver du?', required: false },
    { id: 'useful', kind: 'rating', label: 'Hur användbar var träffen?', required: true },
    { id: 'goal', kind: 'goal', label: 'Vilket mål?', required: false },
  ];
  const ownGoals = new Set(['goal-1', 'goal-2']);

  test('when every question is answered well then the trimmed values come back, the rating as a number', () => {
    const result = validateAnswer(questions, { plan: '  Exit tickets i 5B  ', support: 'Tid', useful: '4', goal: 'goal-1, goal-2' }, ownGoals);
    expect(result).toEqual({ values: { plan: 'Exit tickets i 5B', support: 'Tid', useful: 4, goal: 'goal-1,goal-2' } });
  });

  test('when an optional question is left empty then it is left out of the values', () => {
    expect(validateAnswer(questions, { plan: 'Läsloggar', useful: 3, support: '   ' }, ownGoals)).toEqual({ values: { plan: 'Läsloggar', useful: 3 } });
  });

  test('when a required question is missing or only spaces then it is a required problem and no values come back', () => {
    const result = validateAnswer(questions, { plan: '   ', support: 'Tid' }, ownGoals);
    expect(result).toEqual({
      problems: [
        { questionId: 'plan', problem: 'required' },
        { questionId: 'useful', problem: 'required' },
      ],
    });
    expect('values' in result).toBe(false);
  });

  test('when a text is exactly the limit then it is taken, and one character more is too long', () => {
    expect(validateAnswer(questions, { plan: 'x'.repeat(MAX_TEXT_ANSWER), useful: '5' }, ownGoals)).toEqual({
      values: { plan: 'x'.repeat(MAX_TEXT_ANSWER), useful: 5 },
    });
    expect(validateAnswer(questions, { plan: 'x'.repeat(MAX_TEXT_ANSWER + 1), useful: '5' }, ownGoals)).toEqual({
      problems: [{ questionId: 'plan', problem: 'tooLong' }],
    });
  });

  test.each(['0', '6', '2.5', 'fyra', -1])('when the rating is %p then it is a rating problem', (useful) => {
    expect(validateAnswer(questions, { plan: 'Läsloggar', useful }, ownGoals)).toEqual({ problems: [{ questionId: 'useful', problem: 'rating' }] });
  });

  test.each(['1', 5])('when the rating is %p then it is taken as a whole number', (useful) => {
    expect(validateAnswer(questions, { plan: 'Läsloggar', useful }, ownGoals)).toEqual({ values: { plan: 'Läsloggar', useful: Number(useful) } });
  });

  test("when a goal id is not the member's own then it is a goal problem", () => {
    expect(validateAnswer(questions, { plan: 'Läsloggar', useful: '3', goal: 'goal-1,someone-elses' }, ownGoals)).toEqual({
      problems: [{ questionId: 'goal', problem: 'goal' }],
    });
  });

  test('when input carries fields that are not questions then they are ignored', () => {
    expect(validateAnswer(questions, { plan: 'Läsloggar', useful: '3', verb: 'checkInAnswer', checkInId: 'x' }, ownGoals)).toEqual({
      values: { plan: 'Läsloggar', useful: 3 },
    });
  });
});

describe('what a group sees of its answers', () => {
  const [lena, ali, britt, cecilia] = people as [Person, Person, Person, Person];
  const names = [...people, outsider].map((p) => p.name);

  test('when the group is named then each text question lists who answered what, sorted by name, and only text questions', () => {
    const result = aggregate(
      checkIn(),
      [answer(lena, { plan: 'Läsloggar', lookFor: 'Fler frågor', useful: 4 }), answer(ali, { plan: 'Exit tickets', useful: 5 })],
      'named',
    );
    expect(result).toMatchObject({ members: 4, answered: 2, visible: true, ratingQuestionId: 'useful', ratingCount: 2, ratingAverage: 4.5 });
    expect(result.named).toEqual([
      {
        questionId: 'plan',
        entries: [
          { name: 'Ali Andersson', text: 'Exit tickets' },
          { name: 'Lena Lärare', text: 'Läsloggar' },
        ],
      },
      { questionId: 'lookFor', entries: [{ name: 'Lena Lärare', text: 'Fler frågor' }] },
      { questionId: 'support', entries: [] },
    ]);
  });

  test('when the group sees totals then counts, the distribution and the average show but no names', () => {
    const result = aggregate(
      checkIn(),
      [answer(lena, { plan: 'a', useful: 4 }), answer(ali, { plan: 'b', useful: 5 }), answer(britt, { plan: 'c', useful: 5 })],
      'totals',
    );
    expect(result).toEqual({
      members: 4,
      answered: 3,
      visible: true,
      ratingQuestionId: 'useful',
      ratingCount: 3,
      ratingAverage: 4.7,
      distribution: [0, 0, 0, 1, 2],
    });
    for (const name of names) expect(JSON.stringify(result)).not.toContain(name);
  });

  test('when an anonymous group has two answers then nothing but the count is visible', () => {
    const result = aggregate(checkIn(), [answer(lena, { plan: 'a', useful: 1 }), answer(ali, { plan: 'b', useful: 2 })], 'anonymous');
    expect(result).toEqual({ members: 4, answered: 2, visible: false, ratingQuestionId: 'useful', ratingCount: 0, distribution: [0, 0, 0, 0, 0] });
  });

  test('when an anonymous group reaches three answers then the totals show', () => {
    const result = aggregate(
      checkIn(),
      [answer(lena, { plan: 'a', useful: 1 }), answer(ali, { plan: 'b', useful: 2 }), answer(cecilia, { plan: 'c', useful: 2 })],
      'anonymous',
    );
    expect(result).toMatchObject({ answered: 3, visible: true, ratingCount: 3, ratingAverage: 1.7, distribution: [1, 2, 0, 0, 0] });
  });

  test('when an anonymous group is aggregated at any number of answers then no name ever appears', () => {
    const all = [lena, ali, britt, cecilia].map((p, i) => answer(p, { plan: `Plan ${p.name}`, useful: i + 1 }));
    for (let n = 0; n <= all.length; n++) {
      const result = aggregate(checkIn(), all.slice(0, n), 'anonymous');
      expect(result.named).toBeUndefined();
      const json = JSON.stringify(result);
      for (const name of names) expect(json).not.toContain(name);
    }
  });

  test('when someone outside the check-in has answered then their answer is not counted, not even towards the anonymous threshold', () => {
    const answers = [answer(lena, { plan: 'a', useful: 5 }), answer(ali, { plan: 'b', useful: 5 }), answer(outsider, { plan: 'Olles plan', useful: 1 })];
    expect(aggregate(checkIn(), answers, 'anonymous')).toMatchObject({ answered: 2, visible: false });
    const totals = aggregate(checkIn(), answers, 'totals');
    expect(totals).toMatchObject({ members: 4, answered: 2, ratingCount: 2, ratingAverage: 5, distribution: [0, 0, 0, 0, 2] });
    const named = aggregate(checkIn(), answers, 'named');
    expect(JSON.stringify(named)).not.toContain(outsider.name);
  });

  test('when a check-in has no rating question then there is no average and the distribution is empty', () => {
    const before = checkIn({ phase: 'before', questions: defaultCheckInQuestions('sv').before });
    const result = aggregate(before, [answer(lena, { tried: 'Läsfixare', happened: 'De läste mer' })], 'totals');
    expect(result).toEqual({ members: 4, answered: 1, visible: true, ratingCount: 0, distribution: [0, 0, 0, 0, 0] });
  });
});

/** What the service asked the delivery side to do. */
class RecordingEffects implements LearningGroupEffects {
  readonly saved: { group: Group; previous?: Group }[] = [];
  readonly posted: CheckIn[] = [];
  readonly answered: string[] = [];
  async groupSaved(group: Group, previous?: Group): Promise<void> {
    this.saved.push({ group, ...(previous ? { previous } : {}) });
  }
  async checkInPosted(_group: Group, checkIn: CheckIn): Promise<void> {
    this.posted.push(checkIn);
  }
  async answersChanged(checkIn: CheckIn): Promise<void> {
    this.answered.push(checkIn.id);
  }
}

describe('learning group rules', () => {
  let stores: Stores;
  let effects: RecordingEffects;
  let service: LearningGroupService;
  let now: Date;
  const conversation: GroupConversation = {
    tenantId: 'tenant',
    conversationId: '19:grupp@thread.v2',
    serviceUrl: 'https://smba.example/',
    kind: 'groupChat',
    botId: '28:bot',
    language: 'sv',
  };
  const lena = people[0]!;
  /** Someone acting in the group's conversation. */
  const inGroup = (actor: Person): GroupAccess => ({ tenantId: 'tenant', conversationId: conversation.conversationId, person: actor });

  function form(overrides: Partial<GroupForm> = {}): GroupForm {
    return groupFormSchema.parse({
      name: 'Matematik åk 4–6',
      kind: 'lärgrupp',
      facilitator: 'aad-lena',
      members: 'aad-lena,aad-ali,aad-britt',
      startTime: '15:30',
      endTime: '17:00',
      dates: ['2026-09-15', '2026-10-13', '2026-11-10'],
      privacy: 'totals',
      ...overrides,
    });
  }

  async function created(overrides: Partial<GroupForm> = {}): Promise<Group> {
    const result = await service.createGroup(conversation, lena, form(overrides), people);
    if (!('group' in result)) throw new Error(`unexpected problems: ${result.problems.join(', ')}`);
    return result.group;
  }

  beforeAll(async () => {
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('lg') });
  });

  beforeEach(() => {
    now = new Date('2026-09-01T08:00:00Z');
    effects = new RecordingEffects();
    service = new LearningGroupService(organisation, stores.learningGroups, effects, { now: () => new Date(now), timeZone }, defaultCheckInQuestions);
  });

  describe('spreading meetings over the läsår', () => {
    const holidays = new Set(organisation.holidays());

    test('when six meetings are spread at the start of the läsår then they are six school days in order, none on a weekend or in a holiday', () => {
      const dates = service.spreadMeetings(6);
      expect(dates).toHaveLength(6);
      expect([...dates].sort()).toEqual(dates);
      expect(new Set(dates).size).toBe(6);
      for (const date of dates) {
        expect(date > '2026-09-01').toBe(true);
        expect(date <= '2027-06-11').toBe(true);
        expect(isoWeekday(date)).toBeLessThanOrEqual(5);
        expect(holidays.has(date)).toBe(false);
      }
    });

    test('when any number up to the maximum is spread then no date falls on a weekend, in a holiday or after the läsår', () => {
      for (let count = 1; count <= 20; count++) {
        const dates = service.spreadMeetings(count);
        expect(dates).toHaveLength(count);
        for (const date of dates) {
          expect(isoWeekday(date)).toBeLessThanOrEqual(5);
          expect(holidays.has(date)).toBe(false);
          expect(date <= '2027-06-11').toBe(true);
        }
      }
    });

    test('when the läsår has not started yet then the meetings start at its first day or later', () => {
      now = new Date('2026-06-20T08:00:00Z');
      const dates = service.spreadMeetings(6);
      expect(dates).toHaveLength(6);
      expect(dates[0]! >= '2026-08-17').toBe(true);
    });

    test('when only three school days are left then only three meetings are spread', () => {
      now = new Date('2027-06-08T08:00:00Z');
      expect(service.spreadMeetings(6)).toEqual(['2027-06-09', '2027-06-10', '2027-06-11']);
    });

    test('when the läsår is over or no meeting is asked for then there are no dates', () => {
      expect(service.spreadMeetings(0)).toEqual([]);
      now = new Date('2027-06-11T10:00:00Z');
      expect(service.spreadMeetings(6)).toEqual([]);
      now = new Date('2028-07-01T10:00:00Z');
      expect(service.spreadMeetings(6)).toEqual([]);
    });

    test('when a group is made in the summer then its meetings are spread over the next läsår', () => {
      now = new Date('2027-07-01T10:00:00Z');
      const dates = service.spreadMeetings(6);
      expect(dates).toHaveLength(6);
      expect(dates.every((date) => date >= '2027-08-16' && date <= '2028-06-09')).toBe(true);
    });
  });

  describe('checking the group form', () => {
    test('when the form is good then the parts come back with roles, the facilitator as a member and the dates sorted', () => {
      const result = service.validateForm(
        form({
          members: 'aad-ali, aad-britt,aad-cecilia',
          studentHealth: 'aad-britt',
          treatment: 'aad-cecilia',
          subject: '  Matematik ',
          dates: ['2026-11-10', '2026-09-15'],
        }),
        people,
      );
      expect(result).toEqual({
        parts: {
          name: 'Matematik åk 4–6',
          kind: 'lärgrupp',
          subject: 'Matematik',
          facilitator: { aadObjectId: 'aad-lena', userId: '29:lena', name: 'Lena Lärare' },
          members: [
            { aadObjectId: 'aad-ali', userId: '29:ali', name: 'Ali Andersson', role: 'lärare' },
            { aadObjectId: 'aad-britt', userId: '29:britt', name: 'Britt Berg', role: 'elevhälsa' },
            { aadObjectId: 'aad-cecilia', userId: '29:cecilia', name: 'Cecilia Ceder', role: 'behandlingspersonal' },
            { aadObjectId: 'aad-lena', userId: '29:lena', name: 'Lena Lärare', role: 'lärare' },
          ],
          startTime: '15:30',
          endTime: '17:00',
          privacy: 'totals',
          beforeLeadHours: 24,
          reminderLeadHours: 24,
          dates: ['2026-09-15', '2026-11-10'],
        },
      });
    });

    test.each<[string, Partial<GroupForm>, string[]]>([
      ['no name', { name: '   ' }, ['name']],
      ['a name over 100 characters', { name: 'x'.repeat(101) }, ['name']],
      ['an unknown kind', { kind: 'kafferep' }, ['kind']],
      ['an unknown privacy', { privacy: 'public' }, ['privacy']],
      ['no members', { members: '' }, ['members']],
      ['a member who is not in the conversation', { members: 'aad-lena,aad-olle' }, ['members']],
      ['a facilitator who is not in the conversation', { facilitator: 'aad-olle' }, ['facilitator']],
      ['no dates', { dates: [' '] }, ['meetings']],
      ['more than twenty dates', { dates: Array.from({ length: 21 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`) }, ['meetings']],
      ['the same date twice', { dates: ['2026-09-15', '2026-09-15'] }, ['dates']],
      ['a date that is not a date', { dates: ['15 september'] }, ['dates']],
      ['a day that does not exist', { dates: ['2027-02-30'] }, ['dates']],
      ['a date in the past', { dates: ['2026-08-31', '2026-09-15'] }, ['dates']],
      ['an end before the start', { startTime: '17:00', endTime: '15:30' }, ['times']],
      ['a time that is not a time', { startTime: '25:00' }, ['times']],
      ['a lead time over two weeks', { beforeLeadHours: '337' }, ['lead']],
      ['a reminder lead that is not a number', { reminderLeadHours: 'en dag' }, ['lead']],
    ])('when the form has %s then that problem is named', (_what, overrides, problems) => {
      expect(service.validateForm(form(overrides), people)).toEqual({ problems });
    });

    test('when an existing group keeps a date in the past then that is allowed', () => {
      const result = service.validateForm(form({ groupId: 'g1', dates: ['2026-08-31', '2026-09-15'] }), people);
      expect(result).toMatchObject({ parts: { dates: ['2026-08-31', '2026-09-15'] } });
    });
  });

  describe('creating and changing a group', () => {
    test('when a group is created then it is stored with a meeting per date, the default questions, and its check-ins are planned', async () => {
      const result = await service.createGroup(conversation, lena, form({ dates: ['2026-11-10', '2026-09-15', '2026-10-13'] }), people);
      if (!('group' in result)) throw new Error('expected a group');
      const { group: g } = result;
      expect(g.id).toMatch(/^20260901-[0-9a-f]{8}$/);
      expect(g.meetings).toEqual(meetings('2026-09-15', '2026-10-13', '2026-11-10'));
      expect(g.questions).toEqual(defaultCheckInQuestions('sv'));
      expect(g).toMatchObject({
        tenantId: 'tenant',
        createdBy: 'aad-lena',
        createdAt: '2026-09-01T08:00:00.000Z',
        conversation: { conversationId: '19:grupp@thread.v2', language: 'sv' },
      });
      expect((await stores.learningGroups.getGroup('tenant', g.id))?.value).toEqual(g);
      expect((await stores.learningGroups.groupsInConversation('tenant', conversation.conversationId)).map((s) => s.groupId)).toContain(g.id);
      expect(effects.saved).toEqual([{ group: g }]);
    });

    test('when a group is created from a form with problems then nothing is stored and nothing is planned', async () => {
      const result = await service.createGroup({ ...conversation, conversationId: 'conversation-with-problems' }, lena, form({ name: '' }), people);
      expect(result).toEqual({ problems: ['name'] });
      expect(await stores.learningGroups.groupsInConversation('tenant', 'conversation-with-problems')).toEqual([]);
      expect(effects.saved).toEqual([]);
    });

    test('when the dates are changed then meetings keep their ids by position, a new date gets a new id, and the change is planned', async () => {
      const g = await created();
      now = new Date('2026-09-02T08:00:00Z');
      const result = await service.updateGroup(
        inGroup(lena),
        g.id,
        form({ name: 'Matematik åk 4–6 (HT)', dates: ['2026-09-16', '2026-10-13', '2026-11-10', '2026-12-08'] }),
        people,
      );
      if (!('group' in result)) throw new Error('expected a group');
      expect(result.group.meetings).toEqual(meetings('2026-09-16', '2026-10-13', '2026-11-10', '2026-12-08'));
      expect(result.group).toMatchObject({
        name: 'Matematik åk 4–6 (HT)',
        createdAt: g.createdAt,
        updatedAt: '2026-09-02T08:00:00.000Z',
        questions: g.questions,
      });
      expect((await stores.learningGroups.getGroup('tenant', g.id))?.value).toEqual(result.group);
      expect(effects.saved).toEqual([{ group: g }, { group: result.group, previous: g }]);

      const fewer = await service.updateGroup(inGroup(lena), g.id, form({ dates: ['2026-10-13', '2026-11-10'] }), people);
      if (!('group' in fewer)) throw new Error('expected a group');
      expect(fewer.group.meetings).toEqual(meetings('2026-10-13', '2026-11-10'));
    });

    test('when a meeting with a posted check-in is removed and a date added later then the new meeting does not inherit its check-in', async () => {
      const g = await created();
      now = new Date('2026-11-09T14:30:00Z');
      await service.openCheckIn(g, g.meetings[2]!, 'before');
      const fewer = await service.updateGroup(inGroup(lena), g.id, form({ dates: ['2026-09-15', '2026-10-13'] }), people);
      expect(fewer).toMatchObject({ group: { meetings: meetings('2026-09-15', '2026-10-13') } });
      const more = await service.updateGroup(inGroup(lena), g.id, form({ dates: ['2026-09-15', '2026-10-13', '2026-12-08'] }), people);
      if (!('group' in more)) throw new Error('expected a group');
      const added = more.group.meetings[2]!;
      expect(added.date).toBe('2026-12-08');
      expect(added.id).not.toBe('m3');
      const opened = await service.openCheckIn(more.group, added, 'before');
      expect(opened).toMatchObject({ created: true, checkIn: { meetingId: added.id, closesAt: '2026-12-08T14:30:00.000Z' } });
    });

    test('when a meeting has its own questions and its date moves then its questions stay with it', async () => {
      const g = await created();
      await service.updateQuestions(inGroup(lena), g.id, 'before', 'm2', [{ id: 'egen', kind: 'text', label: 'Egen fråga', required: true }]);
      const result = await service.updateGroup(inGroup(lena), g.id, form({ dates: ['2026-09-15', '2026-10-14', '2026-11-10'] }), people);
      if (!('group' in result)) throw new Error('expected a group');
      expect(result.group.meetings[1]).toEqual({
        id: 'm2',
        date: '2026-10-14',
        questions: { before: [{ id: 'egen', kind: 'text', label: 'Egen fråga', required: true }] },
      });
    });

    test('when a member has left the conversation then they stay choosable for the group they are in', async () => {
      const g = await created();
      const stillHere = people.filter((p) => p.aadObjectId !== 'aad-britt');
      const result = await service.updateGroup(inGroup(lena), g.id, form({ name: 'Nytt namn' }), stillHere);
      expect(result).toMatchObject({ group: { name: 'Nytt namn' } });
      if (!('group' in result)) throw new Error('expected a group');
      expect(result.group.members.map((m) => m.aadObjectId)).toContain('aad-britt');
    });

    test('when someone other than the facilitator changes the group then it is refused and nothing changes', async () => {
      const g = await created();
      await expect(service.updateGroup(inGroup(people[1]!), g.id, form({ name: 'Kapad' }), people)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
      expect((await stores.learningGroups.getGroup('tenant', g.id))?.value.name).toBe(g.name);
      expect(effects.saved).toHaveLength(1);
    });

    test('when the change has problems then the stored group stays as it was', async () => {
      const g = await created();
      expect(await service.updateGroup(inGroup(lena), g.id, form({ startTime: '18:00' }), people)).toEqual({ problems: ['times'] });
      expect((await stores.learningGroups.getGroup('tenant', g.id))?.value).toEqual(g);
      expect(effects.saved).toHaveLength(1);
    });

    test('when an unknown group is changed then it is not found', async () => {
      await expect(service.updateGroup(inGroup(lena), 'no-such-group', form(), people)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('when check-ins are posted, close and remind, across daylight saving time', () => {
    // Summer time ends on Sunday 2026-10-25 (CEST +2 → CET +1) and starts on Sunday 2027-03-28 (CET +1 → CEST +2).
    // Höstlov is 2026-10-26..30 and påsklov 2027-03-26..04-05, so the meetings sit on the school days either side.
    const autumn = group({ meetings: meetings('2026-10-23', '2026-11-02') });
    const spring = group({ meetings: meetings('2027-03-25', '2027-04-06') });
    const [friday, monday] = autumn.meetings as [Meeting, Meeting];
    const [thursday, tuesday] = spring.meetings as [Meeting, Meeting];

    test("when a meeting is in summer time and the next in winter time then post and close follow each day's own offset", () => {
      expect(postTime(autumn, friday, 'before', timeZone).toISOString()).toBe('2026-10-22T13:30:00.000Z');
      expect(postTime(autumn, friday, 'after', timeZone).toISOString()).toBe('2026-10-23T15:00:00.000Z');
      expect(closeTime(autumn, friday, 'before', timeZone).toISOString()).toBe('2026-10-23T13:30:00.000Z');
      expect(closeTime(autumn, friday, 'after', timeZone).toISOString()).toBe('2026-11-02T14:30:00.000Z');
      expect(postTime(autumn, monday, 'after', timeZone).toISOString()).toBe('2026-11-02T16:00:00.000Z');
    });

    test('when the lead time spans the switch then it is counted in real hours, so the local time of posting shifts', () => {
      // 15:30 CET on Monday 2 November, 216 hours back, is 16:30 CEST on Saturday 24 October.
      const longLead = { ...autumn, beforeLeadHours: 216 };
      expect(postTime(longLead, monday, 'before', timeZone).toISOString()).toBe('2026-10-24T14:30:00.000Z');
      // 15:30 CEST on Tuesday 6 April, 24 hours back across no switch, is 15:30 CEST on Monday 5 April.
      expect(postTime(spring, tuesday, 'before', timeZone).toISOString()).toBe('2027-04-05T13:30:00.000Z');
      // Thursday's after check-in (posted 17:00 CET) closes at Tuesday's start, 15:30 CEST.
      expect(closeTime(spring, thursday, 'after', timeZone).toISOString()).toBe('2027-04-06T13:30:00.000Z');
    });

    test("when the last meeting's after check-in closes then it is 14 calendar days later at the end time, in that day's offset", () => {
      const lastInAutumn = group({ meetings: meetings('2026-10-16') });
      expect(closeTime(lastInAutumn, lastInAutumn.meetings[0]!, 'after', timeZone).toISOString()).toBe('2026-10-30T16:00:00.000Z');
      const lastInSpring = group({ meetings: meetings('2027-03-25') });
      expect(closeTime(lastInSpring, lastInSpring.meetings[0]!, 'after', timeZone).toISOString()).toBe('2027-04-08T15:00:00.000Z');
    });

    test('when the reminder lead is short against the open time then the reminder comes that many hours before closing', () => {
      const after = checkIn({ postedAt: '2026-10-23T15:00:00.000Z', closesAt: '2026-11-02T14:30:00.000Z' });
      // 24 hours before 15:30 CET on Monday is 15:30 CET on Sunday.
      expect(reminderTime(autumn, after).toISOString()).toBe('2026-11-01T14:30:00.000Z');
      const springAfter = checkIn({ postedAt: '2027-03-25T16:00:00.000Z', closesAt: '2027-04-06T13:30:00.000Z' });
      // 48 hours before 15:30 CEST on Tuesday, after the switch, is 15:30 CEST on Sunday.
      expect(reminderTime({ ...spring, reminderLeadHours: 48 }, springAfter).toISOString()).toBe('2027-04-04T13:30:00.000Z');
    });

    test('when the reminder lead is as long as the open time then the reminder comes halfway', () => {
      const before = checkIn({ phase: 'before', postedAt: '2026-11-01T14:30:00.000Z', closesAt: '2026-11-02T14:30:00.000Z' });
      expect(reminderTime(autumn, before).toISOString()).toBe('2026-11-02T02:30:00.000Z');
      // Over the spring switch: 23 local hours, 22 real ones; half of the real time.
      const spanning = checkIn({ postedAt: '2027-03-27T14:00:00.000Z', closesAt: '2027-03-28T12:00:00.000Z' });
      expect(reminderTime(spring, spanning).toISOString()).toBe('2027-03-28T01:00:00.000Z');
    });
  });

  describe("when the samtalsledare gets a before check-in's summary", () => {
    // Posted 24 hours before a meeting at 15:30 CET on Monday 2 November, closing at its start.
    const before = checkIn({ phase: 'before', postedAt: '2026-11-01T14:30:00.000Z', closesAt: '2026-11-02T14:30:00.000Z' });

    test('when the lead is 2 hours then the summary comes 2 hours before the meeting, while the check-in is open', () => {
      expect(beforeSummaryTime(before, 2)?.toISOString()).toBe('2026-11-02T12:30:00.000Z');
    });

    test('when the check-in was posted late then the summary waits until three quarters of its open time have passed', () => {
      // Posted 3 hours before the meeting: not 1 hour after posting, but 45 minutes before the start.
      const late = checkIn({ phase: 'before', postedAt: '2026-11-02T11:30:00.000Z', closesAt: '2026-11-02T14:30:00.000Z' });
      expect(beforeSummaryTime(late, 2)?.toISOString()).toBe('2026-11-02T13:45:00.000Z');
    });

    test('when the lead is 0 or the check-in is an after check-in then there is no early summary (it comes at closing)', () => {
      expect(beforeSummaryTime(before, 0)).toBeUndefined();
      expect(beforeSummaryTime({ ...before, phase: 'after' }, 2)).toBeUndefined();
    });
  });

  describe('opening check-ins', () => {
    test('when a check-in is opened twice then the second call returns the first, not created', async () => {
      const g = await created();
      now = new Date('2026-09-14T13:30:00Z');
      const first = await service.openCheckIn(g, g.meetings[0]!, 'before');
      expect(first.created).toBe(true);
      expect(first.checkIn).toMatchObject({
        id: checkInId(g.id, 'm1', 'before'),
        status: 'open',
        postedAt: '2026-09-14T13:30:00.000Z',
        closesAt: '2026-09-15T13:30:00.000Z',
        questions: g.questions.before,
        members: g.members,
      });
      now = new Date('2026-09-14T14:00:00Z');
      const second = await service.openCheckIn(g, g.meetings[0]!, 'before');
      expect(second).toEqual({ checkIn: first.checkIn, created: false });
      expect(await stores.learningGroups.checkInsOfGroup('tenant', g.id)).toHaveLength(1);
    });

    test('when two openings race then exactly one creates the check-in', async () => {
      const g = await created();
      now = new Date('2026-09-15T15:00:00Z');
      const results = await Promise.all([service.openCheckIn(g, g.meetings[0]!, 'after'), service.openCheckIn(g, g.meetings[0]!, 'after')]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect(results[0].checkIn).toEqual(results[1].checkIn);
    });

    test("when a check-in is opened after its usual closing then it stays open a day, and a meeting's own questions are used", async () => {
      const g = await created();
      await service.updateQuestions(inGroup(lena), g.id, 'after', 'm1', [{ id: 'egen', kind: 'rating', label: 'Egen', required: true }]);
      const withQuestions = (await service.group('tenant', g.id))!;
      now = new Date('2026-10-14T08:00:00Z');
      const { checkIn: late } = await service.openCheckIn(withQuestions, withQuestions.meetings[0]!, 'after');
      expect(late.closesAt).toBe('2026-10-15T08:00:00.000Z');
      expect(late.questions).toEqual([{ id: 'egen', kind: 'rating', label: 'Egen', required: true }]);
    });
  });

  describe('answering', () => {
    const [, ali, britt] = people as [Person, Person, Person];

    async function opened(): Promise<{ g: Group; id: string }> {
      const g = await created();
      now = new Date('2026-09-15T15:00:00Z');
      const { checkIn: c } = await service.openCheckIn(g, g.meetings[0]!, 'after');
      now = new Date('2026-09-16T10:00:00Z');
      return { g, id: c.id };
    }
    const good = { plan: 'Exit tickets i 5B på tisdag', lookFor: 'Om fler elever ställer frågor', useful: '4' };

    test('when a member answers then the answer is stored, counted and the card refresh is asked for', async () => {
      const { id } = await opened();
      const result = await service.answer(inGroup(ali), id, good, 'group', new Set());
      expect(result).toMatchObject({
        answer: { aadObjectId: 'aad-ali', name: 'Ali Andersson', values: { plan: good.plan, lookFor: good.lookFor, useful: 4 }, via: 'group' },
      });
      expect(result.view.aggregate).toMatchObject({ answered: 1, members: 3, ratingAverage: 4 });
      expect(await stores.learningGroups.getAnswer('tenant', id, 'aad-ali')).toMatchObject({ values: { useful: 4 }, answeredAt: '2026-09-16T10:00:00.000Z' });
      expect(effects.answered).toEqual([id]);
    });

    test('when someone who is not a member answers then it is refused and nothing is stored', async () => {
      const { id } = await opened();
      await expect(service.answer(inGroup(people[3]!), id, good, 'group', new Set())).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
      await expect(service.answer(inGroup(outsider), id, good, 'personal', new Set())).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
      expect(await stores.learningGroups.answers('tenant', id)).toEqual([]);
      expect(effects.answered).toEqual([]);
    });

    test('when an answer has problems then they come back and nothing is stored', async () => {
      const { id } = await opened();
      const result = await service.answer(inGroup(ali), id, { ...good, plan: '', useful: '9' }, 'group', new Set());
      expect(result).toMatchObject({
        problems: [
          { questionId: 'plan', problem: 'required' },
          { questionId: 'useful', problem: 'rating' },
        ],
      });
      expect(await stores.learningGroups.answers('tenant', id)).toEqual([]);
      expect(effects.answered).toEqual([]);
    });

    test('when a member answers again then the new answer replaces the first and keeps when it was first given', async () => {
      const { id } = await opened();
      await service.answer(inGroup(ali), id, good, 'group', new Set());
      await service.answer(inGroup(britt), id, { ...good, useful: '2' }, 'group', new Set());
      now = new Date('2026-09-17T07:00:00Z');
      const edited = await service.answer(inGroup(ali), id, { ...good, plan: 'Läsloggar i stället', useful: '5' }, 'personal', new Set());
      expect(edited.view.answers).toHaveLength(2);
      expect(edited.view.aggregate).toMatchObject({ answered: 2, ratingAverage: 3.5, distribution: [0, 1, 0, 0, 1] });
      const stored = await stores.learningGroups.answers('tenant', id);
      expect(stored).toHaveLength(2);
      expect(stored.find((a) => a.aadObjectId === 'aad-ali')).toMatchObject({
        values: { plan: 'Läsloggar i stället', useful: 5 },
        answeredAt: '2026-09-16T10:00:00.000Z',
        updatedAt: '2026-09-17T07:00:00.000Z',
        via: 'personal',
      });
    });

    test('when the check-in is closed then an answer is refused and nothing is stored', async () => {
      const { id } = await opened();
      await service.closeCheckIn('tenant', id);
      const result = await service.answer(inGroup(ali), id, good, 'group', new Set());
      expect(result).toMatchObject({ closed: true });
      expect(await stores.learningGroups.answers('tenant', id)).toEqual([]);
      expect(effects.answered).toEqual([]);
    });

    test("when a goal question is answered then only the member's own goals are taken", async () => {
      const { id } = await opened();
      const refused = await service.answer(inGroup(ali), id, { ...good, goal: 'someone-elses' }, 'personal', new Set(['mine']));
      expect(refused).toMatchObject({ problems: [{ questionId: 'goal', problem: 'goal' }] });
      const taken = await service.answer(inGroup(ali), id, { ...good, goal: 'mine' }, 'personal', new Set(['mine']));
      expect(taken).toMatchObject({ answer: { values: { goal: 'mine' } } });
    });
  });

  describe('the next check-in due', () => {
    test("when nothing is posted yet then the first meeting's before check-in is due", async () => {
      const g = await created();
      expect(await service.checkInOffer(g)).toEqual({ kind: 'post', meeting: g.meetings[0], phase: 'before' });
    });

    test('when the before check-in is posted then it is shown again until the meeting starts, and then the after check-in is due', async () => {
      const g = await created();
      now = new Date('2026-09-14T13:30:00Z');
      const { checkIn } = await service.openCheckIn(g, g.meetings[0]!, 'before');
      expect(await service.checkInOffer(g)).toMatchObject({ kind: 'show', view: { checkIn: { id: checkIn.id } } });
      // The first meeting starts at 15:30 CEST = 13:30Z.
      now = new Date('2026-09-15T13:29:00Z');
      expect(await service.checkInOffer(g)).toMatchObject({ kind: 'show', view: { checkIn: { id: checkIn.id } } });
      now = new Date('2026-09-15T13:30:00Z');
      expect(await service.checkInOffer(g)).toEqual({ kind: 'post', meeting: g.meetings[0], phase: 'after' });
    });

    test('when the after check-in is next, its meeting has not started and nothing is open then it waits', async () => {
      const g = await created();
      now = new Date('2026-09-14T13:30:00Z');
      const { checkIn } = await service.openCheckIn(g, g.meetings[0]!, 'before');
      await service.closeCheckIn(g.tenantId, checkIn.id);
      expect(await service.checkInOffer(g)).toEqual({ kind: 'wait', meeting: g.meetings[0], phase: 'after' });
    });

    test('when check-ins were never posted and have closed then they are skipped', async () => {
      const g = await created();
      // Between the second meeting's start (15:30 CEST = 13:30Z) and its end.
      now = new Date('2026-10-13T14:00:00Z');
      expect(await service.checkInOffer(g)).toEqual({ kind: 'post', meeting: g.meetings[1], phase: 'after' });
      // At the very start of the second meeting its before check-in has just closed.
      now = new Date('2026-10-13T13:30:00Z');
      expect(await service.checkInOffer(g)).toEqual({ kind: 'post', meeting: g.meetings[1], phase: 'after' });
    });

    test('when every check-in is posted or closed then none is due', async () => {
      const g = await created();
      now = new Date('2026-11-24T16:00:00Z');
      expect(await service.checkInOffer(g)).toEqual({ kind: 'none' });
      now = new Date('2026-11-24T15:59:00Z');
      expect(await service.checkInOffer(g)).toEqual({ kind: 'post', meeting: g.meetings[2], phase: 'after' });
    });
  });
});
