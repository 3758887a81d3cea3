import type { Answer, CheckIn, Group } from '../../src/domain/learningGroup';
import { defaultCheckInQuestions } from '../../src/i18n';
import { openStores, type Stores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';

const now = '2026-09-01T08:00:00.000Z';
const members = Array.from({ length: 30 }, (_, i) => ({ aadObjectId: `aad-${i}`, userId: `29:${i}`, name: `Lärare ${i}`, role: 'lärare' as const }));

function group(id: string, overrides: Partial<Group> = {}): Group {
  return {
    id,
    tenantId: 'tenant',
    conversation: { conversationId: '19:grupp@thread.v2', serviceUrl: 'https://smba.example/', kind: 'groupChat', botId: '28:bot', language: 'sv' },
    name: `Lärgrupp ${id}`,
    kind: 'lärgrupp',
    subject: 'Matematik',
    facilitator: { aadObjectId: 'aad-0', userId: '29:0', name: 'Lärare 0' },
    members: members.slice(0, 3),
    startTime: '15:30',
    endTime: '17:00',
    meetings: [
      { id: 'm1', date: '2026-09-15', questions: {} },
      { id: 'm2', date: '2026-10-13', questions: { before: [{ id: 'egen', kind: 'text', label: 'Egen fråga', required: true }] } },
    ],
    privacy: 'named',
    questions: defaultCheckInQuestions('sv'),
    beforeLeadHours: 24,
    reminderLeadHours: 24,
    createdBy: 'aad-0',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function checkIn(groupId: string, meetingId: string, phase: CheckIn['phase'], overrides: Partial<CheckIn> = {}): CheckIn {
  return {
    id: `${groupId}~${meetingId}~${phase}`,
    tenantId: 'tenant',
    groupId,
    meetingId,
    phase,
    questions: defaultCheckInQuestions('sv')[phase],
    members,
    postedAt: now,
    closesAt: '2026-09-15T13:30:00.000Z',
    status: 'open',
    ...overrides,
  };
}

function answer(checkInId: string, i: number, values: Answer['values']): Answer {
  return { checkInId, aadObjectId: `aad-${i}`, name: `Lärare ${i}`, values, answeredAt: now, updatedAt: now, via: 'group' };
}

describe('learning groups in Table Storage', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('lg') });
  });

  test('when a group is created then it reads back as written, with an eTag', async () => {
    const g = group('g-roundtrip');
    await stores.learningGroups.createGroup(g);
    const stored = await stores.learningGroups.getGroup('tenant', 'g-roundtrip');
    expect(stored?.value).toEqual(g);
    expect(stored?.eTag).toEqual(expect.any(String));
    expect(await stores.learningGroups.getGroup('tenant', 'no-such-group')).toBeUndefined();
    expect(await stores.learningGroups.getGroup('another-tenant', 'g-roundtrip')).toBeUndefined();
  });

  test('when the same group id is created twice then the second is refused', async () => {
    await stores.learningGroups.createGroup(group('g-twice'));
    await expect(stores.learningGroups.createGroup(group('g-twice', { name: 'Annan' }))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await stores.learningGroups.getGroup('tenant', 'g-twice'))?.value.name).toBe('Lärgrupp g-twice');
  });

  test('when a group is saved with the eTag it was read with then the change is stored and its index follows', async () => {
    await stores.learningGroups.createGroup(group('g-save', { conversation: { ...group('x').conversation, conversationId: '19:save@thread.v2' } }));
    const read = (await stores.learningGroups.getGroup('tenant', 'g-save'))!;
    await stores.learningGroups.saveGroup({ ...read.value, name: 'Nytt namn', privacy: 'anonymous' }, read.eTag);
    expect((await stores.learningGroups.getGroup('tenant', 'g-save'))?.value).toMatchObject({ name: 'Nytt namn', privacy: 'anonymous' });
    expect(await stores.learningGroups.groupsInConversation('tenant', '19:save@thread.v2')).toEqual([{ groupId: 'g-save', name: 'Nytt namn', createdAt: now }]);
  });

  test('when a group is saved with a stale eTag then it is STALE and the first change stays', async () => {
    await stores.learningGroups.createGroup(group('g-stale'));
    const read = (await stores.learningGroups.getGroup('tenant', 'g-stale'))!;
    await stores.learningGroups.saveGroup({ ...read.value, name: 'Först' }, read.eTag);
    await expect(stores.learningGroups.saveGroup({ ...read.value, name: 'Sedan' }, read.eTag)).rejects.toMatchObject({ code: 'STALE' });
    expect((await stores.learningGroups.getGroup('tenant', 'g-stale'))?.value.name).toBe('Först');
  });

  test("when groups live in several conversations then a conversation's list holds only its own, oldest first", async () => {
    const conversation = (conversationId: string) => ({ ...group('x').conversation, conversationId });
    await stores.learningGroups.createGroup(group('g-b', { conversation: conversation('19:lista@thread.tacv2'), createdAt: '2026-09-02T08:00:00.000Z' }));
    await stores.learningGroups.createGroup(group('g-a', { conversation: conversation('19:lista@thread.tacv2'), createdAt: '2026-09-01T08:00:00.000Z' }));
    await stores.learningGroups.createGroup(group('g-other', { conversation: conversation('19:annan@thread.tacv2') }));
    await stores.learningGroups.createGroup(group('g-tenant', { tenantId: 'another-tenant', conversation: conversation('19:lista@thread.tacv2') }));
    expect((await stores.learningGroups.groupsInConversation('tenant', '19:lista@thread.tacv2')).map((s) => s.groupId)).toEqual(['g-a', 'g-b']);
    expect((await stores.learningGroups.groupsInConversation('tenant', '19:annan@thread.tacv2')).map((s) => s.groupId)).toEqual(['g-other']);
    expect((await stores.learningGroups.groupsInConversation('another-tenant', '19:lista@thread.tacv2')).map((s) => s.groupId)).toEqual(['g-tenant']);
    expect(await stores.learningGroups.groupsInConversation('tenant', '19:tom@thread.tacv2')).toEqual([]);
  });

  test('when a check-in is created twice then the second returns false and the first stays', async () => {
    const first = checkIn('g-ci', 'm1', 'before');
    expect(await stores.learningGroups.createCheckIn(first)).toBe(true);
    expect(await stores.learningGroups.createCheckIn({ ...first, postedAt: '2026-09-02T08:00:00.000Z' })).toBe(false);
    expect((await stores.learningGroups.getCheckIn('tenant', first.id))?.value).toEqual(first);
    expect(await stores.learningGroups.checkInsOfGroup('tenant', 'g-ci')).toEqual([
      { checkInId: first.id, meetingId: 'm1', phase: 'before', status: 'open', postedAt: now },
    ]);
  });

  test("when a group's check-ins are listed then they come oldest first and only the group's own", async () => {
    await stores.learningGroups.createCheckIn(checkIn('g-list', 'm1', 'after', { postedAt: '2026-09-15T15:00:00.000Z' }));
    await stores.learningGroups.createCheckIn(checkIn('g-list', 'm1', 'before', { postedAt: '2026-09-14T13:30:00.000Z' }));
    await stores.learningGroups.createCheckIn(checkIn('g-list-other', 'm1', 'before'));
    expect((await stores.learningGroups.checkInsOfGroup('tenant', 'g-list')).map((s) => s.checkInId)).toEqual(['g-list~m1~before', 'g-list~m1~after']);
    expect(await stores.learningGroups.getCheckIn('tenant', 'g-list~m9~before')).toBeUndefined();
  });

  test('when a check-in is saved with its eTag then the change and its status in the index are stored', async () => {
    const created = checkIn('g-close', 'm1', 'after');
    await stores.learningGroups.createCheckIn(created);
    const read = (await stores.learningGroups.getCheckIn('tenant', created.id))!;
    const closed: CheckIn = { ...read.value, activityId: 'activity-1', status: 'closed', closedAt: '2026-10-13T13:30:00.000Z' };
    await stores.learningGroups.saveCheckIn(closed, read.eTag);
    expect((await stores.learningGroups.getCheckIn('tenant', created.id))?.value).toEqual(closed);
    expect(await stores.learningGroups.checkInsOfGroup('tenant', 'g-close')).toEqual([expect.objectContaining({ checkInId: created.id, status: 'closed' })]);
  });

  test('when a check-in is saved with a stale eTag then it is STALE and the first change stays', async () => {
    const created = checkIn('g-ci-stale', 'm1', 'before');
    await stores.learningGroups.createCheckIn(created);
    const read = (await stores.learningGroups.getCheckIn('tenant', created.id))!;
    await stores.learningGroups.saveCheckIn({ ...read.value, activityId: 'activity-1' }, read.eTag);
    await expect(stores.learningGroups.saveCheckIn({ ...read.value, status: 'closed' }, read.eTag)).rejects.toMatchObject({ code: 'STALE' });
    expect((await stores.learningGroups.getCheckIn('tenant', created.id))?.value).toMatchObject({ activityId: 'activity-1', status: 'open' });
  });

  test("when answers are saved then they list per check-in, numbers stay numbers, and a second answer replaces a person's first", async () => {
    const id = 'g-answers~m1~after';
    const long = 'å'.repeat(2000);
    await stores.learningGroups.saveAnswer('tenant', answer(id, 1, { plan: long, useful: 4 }), undefined);
    await stores.learningGroups.saveAnswer('tenant', answer(id, 2, { plan: 'Exit tickets', useful: 2, goal: 'mål-1,mål-2' }), undefined);
    await stores.learningGroups.saveAnswer('tenant', answer('g-answers~m2~after', 3, { plan: 'Annan träff', useful: 5 }), undefined);
    await stores.learningGroups.saveAnswer('another-tenant', answer(id, 4, { plan: 'Annan organisation', useful: 5 }), undefined);
    const first = (await stores.learningGroups.storedAnswers('tenant', id)).find((s) => s.value.aadObjectId === 'aad-2')!;
    await stores.learningGroups.saveAnswer(
      'tenant',
      {
        ...answer(id, 2, { plan: 'Läsloggar', useful: 3 }),
        updatedAt: '2026-09-02T08:00:00.000Z',
        via: 'personal',
      },
      first.eTag,
    );

    const listed = await stores.learningGroups.answers('tenant', id);
    expect(listed.sort((a, b) => a.aadObjectId.localeCompare(b.aadObjectId))).toEqual([
      answer(id, 1, { plan: long, useful: 4 }),
      { ...answer(id, 2, { plan: 'Läsloggar', useful: 3 }), updatedAt: '2026-09-02T08:00:00.000Z', via: 'personal' },
    ]);
    expect(await stores.learningGroups.getAnswer('tenant', id, 'aad-1')).toEqual(answer(id, 1, { plan: long, useful: 4 }));
    expect(await stores.learningGroups.getAnswer('tenant', id, 'aad-3')).toBeUndefined();
    expect(await stores.learningGroups.answers('tenant', 'g-answers~m3~after')).toEqual([]);
  });

  test('when thirty members answer at the same moment then thirty rows are stored', async () => {
    const id = 'g-thirty~m1~after';
    await Promise.all(members.map((_, i) => stores.learningGroups.saveAnswer('tenant', answer(id, i, { plan: `Plan ${i}`, useful: (i % 5) + 1 }), undefined)));
    const listed = await stores.learningGroups.answers('tenant', id);
    expect(listed).toHaveLength(30);
    expect(new Set(listed.map((a) => a.aadObjectId)).size).toBe(30);
    expect(listed.find((a) => a.aadObjectId === 'aad-17')?.values).toEqual({ plan: 'Plan 17', useful: 3 });
  });

  test('when an answer is saved under a stale eTag, or given again as new, then it is STALE and the first save stays', async () => {
    const id = 'g-stale-answer~m1~after';
    await stores.learningGroups.saveAnswer('tenant', answer(id, 1, { plan: 'Först', useful: 4 }), undefined);
    const [read] = await stores.learningGroups.storedAnswers('tenant', id);
    await stores.learningGroups.saveAnswer('tenant', answer(id, 1, { plan: 'Sedan', useful: 4 }), read!.eTag);
    await expect(stores.learningGroups.saveAnswer('tenant', answer(id, 1, { plan: 'Förlorad', useful: 1 }), read!.eTag)).rejects.toMatchObject({
      code: 'STALE',
    });
    await expect(stores.learningGroups.saveAnswer('tenant', answer(id, 1, { plan: 'Också ny', useful: 1 }), undefined)).rejects.toMatchObject({
      code: 'STALE',
    });
    expect((await stores.learningGroups.getAnswer('tenant', id, 'aad-1'))?.values).toEqual({ plan: 'Sedan', useful: 4 });
  });

  test('when answers carry goals and activities then they round-trip, and the reflections are those of the tenant that named goals since the given time', async () => {
    const id = 'g-reflect~m1~after';
    const named = { ...answer(id, 1, { plan: 'Tyst start', useful: 4, goal: 'd1:1,d1:2' }), goalIds: ['d1:1', 'd1:2'], handledActivities: ['a1', 'a2'] };
    await stores.learningGroups.saveAnswer('tenant', named, undefined);
    await stores.learningGroups.saveAnswer('tenant', answer(id, 2, { plan: 'Inget mål', useful: 3 }), undefined);
    await stores.learningGroups.saveAnswer('tenant', { ...answer('g-reflect~m2~after', 2, { plan: 'Senare', useful: 3 }), goalIds: ['d1:1'] }, undefined);
    await stores.learningGroups.saveAnswer(
      'tenant',
      { ...answer('g-old~m1~after', 3, { plan: 'Förr', useful: 3 }), updatedAt: '2025-09-01T08:00:00.000Z', goalIds: ['d0:1'] },
      undefined,
    );
    await stores.learningGroups.saveAnswer('tenant-b', { ...answer(id, 4, { plan: 'Annan organisation', useful: 5 }), goalIds: ['d1:1'] }, undefined);
    // A tenant whose id sorts right after "tenant" in the key order of another prefix: not in the range.
    await stores.learningGroups.saveAnswer('tenant}', { ...answer(id, 5, { plan: 'Utanför', useful: 5 }), goalIds: ['d1:1'] }, undefined);

    expect(await stores.learningGroups.getAnswer('tenant', id, 'aad-1')).toEqual(named);
    const reflections = await stores.learningGroups.reflections('tenant', '2026-01-01T00:00:00.000Z');
    expect(reflections.sort((a, b) => a.aadObjectId.localeCompare(b.aadObjectId))).toEqual([
      { aadObjectId: 'aad-1', goalIds: ['d1:1', 'd1:2'] },
      { aadObjectId: 'aad-2', goalIds: ['d1:1'] },
    ]);
  });
});
