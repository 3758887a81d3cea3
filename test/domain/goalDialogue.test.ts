import {
  advance,
  type Dialogue,
  type FlowInput,
  isAfterDeadline,
  MAX_ANSWER_CHARS,
  newParticipation,
  parseGoalChoice,
  type Participation,
  participantState,
} from '../../src/domain/goalDialogue';

const now = new Date('2026-09-10T08:00:00Z');
/** The school's zone, as config.timeZone gives it. */
const STOCKHOLM = 'Europe/Stockholm';
const LONG = (what: string) => `${what} – eleverna ska kunna beskriva sitt lärande med egna ord`;

function dialogue(overrides: Partial<Dialogue> = {}): Dialogue {
  return {
    id: 'd1',
    tenantId: 't',
    schoolId: 'exempelskolan',
    title: 'Målsamtal HT 2026',
    schoolGoals: [
      { id: 'studiero', title: 'Studiero', serves: ['trygghet'] },
      { id: 'las', title: 'Läsning', serves: ['resultat'] },
      { id: 'formativ', title: 'Formativ bedömning', serves: ['resultat'] },
    ],
    deadline: '2026-09-30',
    participants: [{ aadObjectId: 'a1', userId: '29:1', name: 'Lena Lärare' }],
    reminders: { enabled: true, daysBefore: [7, 2] },
    principal: { aadObjectId: 'p', userId: '29:p', name: 'Rut' },
    channel: { conversationId: '19:c', serviceUrl: 'https://x/' },
    status: 'open',
    createdAt: now.toISOString(),
    ...overrides,
  };
}

function run(d: Dialogue, inputs: FlowInput[], start?: Participation, at = now, timeZone = STOCKHOLM) {
  let p = start ?? newParticipation(d.id, { aadObjectId: 'a1', userId: '29:1', name: 'Lena Lärare' }, at);
  const replies = [];
  for (const input of inputs) {
    const result = advance(d, p, input, at, timeZone);
    p = result.participation;
    replies.push(result.reply);
  }
  return { p, replies, last: replies[replies.length - 1] };
}

const answerAll: FlowInput[] = [
  { kind: 'start' },
  { kind: 'answer', text: '1 och 3' },
  { kind: 'answer', text: LONG('Mål') },
  { kind: 'answer', text: LONG('Hur') },
  { kind: 'answer', text: LONG('Tecken') },
  { kind: 'answer', text: 'nej' },
];

describe('writing goals step by step', () => {
  test('when a teacher starts then the first question is which school goals the goal serves', () => {
    const { p, last } = run(dialogue(), [{ kind: 'start' }]);
    expect(last).toEqual({ kind: 'ask', goalIndex: 0, step: 'schoolGoals', followUp: false });
    expect(p.status).toBe('in-progress');
  });

  test('when every step is answered then the summary follows and each answer is in the draft', () => {
    const { p, replies, last } = run(dialogue(), answerAll);
    expect(replies.map((r) => (r.kind === 'ask' ? r.step : r.kind))).toEqual(['schoolGoals', 'goal', 'how', 'evidence', 'support', 'summary']);
    expect(last).toEqual({ kind: 'summary' });
    expect(p.goals[0]).toMatchObject({
      schoolGoalIds: ['studiero', 'formativ'],
      goal: LONG('Mål'),
      how: LONG('Hur'),
      evidence: LONG('Tecken'),
      supportSkipped: true,
    });
  });

  test('when a goal choice names no known goal then the teacher is told and nothing changes', () => {
    const { p, last } = run(dialogue(), [{ kind: 'start' }, { kind: 'answer', text: '7' }]);
    expect(last).toEqual({ kind: 'invalidGoals', goalIndex: 0 });
    expect(p.goals).toEqual([]);
    const crafted = run(dialogue(), [{ kind: 'start' }, { kind: 'chooseGoals', ids: ['studiero', 'someone-elses'] }]);
    expect(crafted.last).toEqual({ kind: 'invalidGoals', goalIndex: 0 });
  });

  test('when an answer is too short then one gentle follow-up is asked and the next answer is added to it', () => {
    const { p, replies } = run(dialogue(), [
      ...answerAll.slice(0, 2),
      { kind: 'answer', text: 'Läsning' },
      { kind: 'answer', text: 'Eleverna i åk 5 läser faktatexter och sammanfattar dem' },
    ]);
    expect(replies[2]).toEqual({ kind: 'ask', goalIndex: 0, step: 'goal', followUp: true });
    expect(replies[3]).toEqual({ kind: 'ask', goalIndex: 0, step: 'how', followUp: false });
    expect(p.goals[0]?.goal).toBe('Läsning\n\nEleverna i åk 5 läser faktatexter och sammanfattar dem');
  });

  test('when the answer to the follow-up is short too then it is accepted, not rejected', () => {
    const { p, last } = run(dialogue(), [...answerAll.slice(0, 2), { kind: 'answer', text: 'Läsning' }, { kind: 'answer', text: 'Mer läsning' }]);
    expect(last).toMatchObject({ kind: 'ask', step: 'how' });
    expect(p.goals[0]?.goal).toBe('Läsning\n\nMer läsning');
  });

  test('when an answer is longer than the limit then it is refused with its length and nothing is saved', () => {
    const { p, last } = run(dialogue(), [...answerAll.slice(0, 2), { kind: 'answer', text: 'x'.repeat(MAX_ANSWER_CHARS + 1) }]);
    expect(last).toEqual({ kind: 'tooLong', length: MAX_ANSWER_CHARS + 1, goalIndex: 0, step: 'goal' });
    expect(p.goals[0]?.goal).toBeUndefined();
    const exact = run(dialogue(), [...answerAll.slice(0, 2), { kind: 'answer', text: 'x'.repeat(MAX_ANSWER_CHARS) }]);
    expect(exact.p.goals[0]?.goal).toHaveLength(MAX_ANSWER_CHARS);
  });

  test('when the teacher pauses and resumes days later then the first unanswered step is asked', () => {
    const first = run(dialogue(), [...answerAll.slice(0, 3), { kind: 'pause' }]);
    expect(first.last).toEqual({ kind: 'paused' });
    expect(first.p.paused).toBe(true);
    const later = run(dialogue(), [{ kind: 'resume' }], first.p, new Date('2026-09-14T10:00:00Z'));
    expect(later.last).toEqual({ kind: 'ask', goalIndex: 0, step: 'how', followUp: false });
  });

  test('when the teacher goes back then the previous step is asked again and a new answer replaces the old', () => {
    const { p, replies } = run(dialogue(), [...answerAll.slice(0, 4), { kind: 'back' }, { kind: 'answer', text: LONG('Nytt hur') }]);
    expect(replies[4]).toEqual({ kind: 'ask', goalIndex: 0, step: 'how', followUp: false });
    expect(p.goals[0]?.how).toBe(LONG('Nytt hur'));
  });

  test('when the teacher cancels then the draft is kept', () => {
    const { p, last } = run(dialogue(), [...answerAll.slice(0, 3), { kind: 'cancel' }]);
    expect(last).toEqual({ kind: 'cancelled' });
    expect(p.goals[0]?.goal).toBe(LONG('Mål'));
  });

  test('when the teacher confirms then the goals are done, a version is counted, and a late confirmation is marked late', () => {
    const onTime = run(dialogue(), [...answerAll, { kind: 'confirm' }]);
    expect(onTime.last).toEqual({ kind: 'confirmed', late: false });
    expect(onTime.p).toMatchObject({ status: 'done', versions: 1, late: false });
    const late = run(dialogue(), [...answerAll, { kind: 'confirm' }], undefined, new Date('2026-10-01T06:00:00Z'));
    expect(late.last).toEqual({ kind: 'confirmed', late: true });
  });

  test('when a teacher adds goals then at most three are allowed', () => {
    const goal: FlowInput[] = answerAll.slice(1);
    const { p, last } = run(dialogue(), [...answerAll, { kind: 'addGoal' }, ...goal, { kind: 'addGoal' }, ...goal, { kind: 'addGoal' }]);
    expect(p.goals).toHaveLength(3);
    expect(last).toEqual({ kind: 'maxGoals' });
  });

  test('when a confirmed goal is edited then only that step is asked and the summary follows', () => {
    const { p, replies } = run(dialogue(), [
      ...answerAll,
      { kind: 'confirm' },
      { kind: 'edit', goalIndex: 0, step: 'evidence' },
      { kind: 'answer', text: LONG('Nya tecken') },
    ]);
    expect(replies.at(-2)).toEqual({ kind: 'ask', goalIndex: 0, step: 'evidence', followUp: false });
    expect(replies.at(-1)).toEqual({ kind: 'summary' });
    expect(p.goals[0]?.evidence).toBe(LONG('Nya tecken'));
  });

  test('when the dialogue is closed then answers change nothing', () => {
    const open = run(dialogue(), answerAll.slice(0, 3));
    const closed = run(dialogue({ status: 'closed' }), [{ kind: 'answer', text: LONG('Sent svar') }], open.p);
    expect(closed.last).toEqual({ kind: 'closed' });
    expect(closed.p.goals).toEqual(open.p.goals);
  });

  test('when goals are chosen by typing then numbers and titles work', () => {
    const d = dialogue();
    expect(parseGoalChoice(d, '2')).toEqual(['las']);
    expect(parseGoalChoice(d, '1, 2 och 3')).toEqual(['studiero', 'las', 'formativ']);
    expect(parseGoalChoice(d, 'läsning')).toEqual(['las']);
    expect(parseGoalChoice(d, '4')).toBeUndefined();
    expect(parseGoalChoice(d, 'något annat')).toBeUndefined();
  });

  test('when the deadline day ends in Stockholm then the dialogue is past its deadline', () => {
    expect(isAfterDeadline({ deadline: '2026-09-30' }, new Date('2026-09-30T21:59:00Z'), STOCKHOLM)).toBe(false);
    expect(isAfterDeadline({ deadline: '2026-09-30' }, new Date('2026-09-30T22:00:00Z'), STOCKHOLM)).toBe(true);
  });

  test.each([
    // 19:00 on the deadline day in New York is already 1 October (01:00) in Stockholm.
    ['America/New_York', '2026-09-30T23:00:00Z', false],
    // 01:00 on 1 October in Auckland (NZDT, +13) is still 30 September (14:00) in Stockholm.
    ['Pacific/Auckland', '2026-09-30T12:00:00Z', true],
  ])("when the school's zone is %s and a teacher confirms at %s then late is %s: the deadline's day ends there, not in Stockholm", (timeZone, at, late) => {
    const confirmed = run(dialogue({ deadline: '2026-09-30' }), [...answerAll, { kind: 'confirm' }], undefined, new Date(at), timeZone);
    expect(confirmed.last).toEqual({ kind: 'confirmed', late });
    expect(confirmed.p.late).toBe(late);
    expect(isAfterDeadline({ deadline: '2026-09-30' }, new Date(at), timeZone)).toBe(late);
  });

  test('when states are derived then an unreachable teacher who never started is not reachable', () => {
    expect(participantState(undefined, false)).toBe('not-reachable');
    const done = run(dialogue(), [...answerAll, { kind: 'confirm' }]).p;
    expect(participantState(done, true)).toBe('done');
    expect(participantState({ ...done, late: true }, true)).toBe('late');
  });
});

describe('text typed after the invitation, and at the summary', () => {
  test('when the text is a goal then it is kept, the school goals are asked, and after them how she will work', () => {
    const { p, replies } = run(dialogue(), [
      { kind: 'startWithText', text: LONG('Mål') },
      { kind: 'answer', text: '2' },
    ]);
    expect(replies[0]).toEqual({ kind: 'keptAsGoal', goalIndex: 0 });
    expect(replies[1]).toEqual({ kind: 'ask', goalIndex: 0, step: 'how', followUp: false });
    expect(p.goals[0]).toMatchObject({ schoolGoalIds: ['las'], goal: LONG('Mål') });
  });

  test('when the text is a number list then it chooses the school goals', () => {
    const { p, last } = run(dialogue(), [{ kind: 'startWithText', text: '1, 3' }]);
    expect(last).toEqual({ kind: 'ask', goalIndex: 0, step: 'goal', followUp: false });
    expect(p).toMatchObject({ status: 'in-progress', goals: [{ schoolGoalIds: ['studiero', 'formativ'] }] });
  });

  test('when the text is short or too long then the dialogue starts and nothing is kept', () => {
    expect(run(dialogue(), [{ kind: 'startWithText', text: 'hej' }])).toMatchObject({ last: { kind: 'ask', step: 'schoolGoals' }, p: { goals: [] } });
    const long = run(dialogue(), [{ kind: 'startWithText', text: 'a'.repeat(MAX_ANSWER_CHARS + 1) }]);
    expect(long).toMatchObject({ last: { kind: 'tooLong', step: 'schoolGoals' }, p: { goals: [], status: 'in-progress' } });
  });

  test('when she types "klar" or "confirm" at the summary then the goals are confirmed; other text changes nothing', () => {
    const other = advance(dialogue(), run(dialogue(), answerAll).p, { kind: 'answer', text: 'hmm' }, now, STOCKHOLM);
    expect(other).toMatchObject({ reply: { kind: 'summary' }, changed: false });
    for (const word of ['klar', 'Bekräfta', 'confirm', 'done']) {
      const result = advance(dialogue(), run(dialogue(), answerAll).p, { kind: 'answer', text: word }, now, STOCKHOLM);
      expect(result).toMatchObject({ reply: { kind: 'confirmed' }, confirmed: true, participation: { status: 'done' } });
    }
  });
});
