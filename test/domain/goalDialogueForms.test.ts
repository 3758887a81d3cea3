import { MAX_GOALS } from '../../src/domain/goalDialogue';
import { goalAnswerSchema, goalIndexSchema, parseStartForm, splitList, talkNotesSchema } from '../../src/domain/goalDialogueForms';

describe('the goal dialogue start form', () => {
  const sent = {
    title: '  Målsamtal HT 2025 ',
    goalIds: 'g1, g2,,',
    deadline: '2025-10-01',
    participantMode: 'chosen',
    participantIds: 'a,b',
    reminders: 'true',
  };

  it('when every value parses then the service input comes back with the title trimmed', () => {
    expect(parseStartForm(sent)).toEqual({
      title: 'Målsamtal HT 2025',
      goalIds: ['g1', 'g2'],
      deadline: '2025-10-01',
      participantMode: 'chosen',
      participantIds: ['a', 'b'],
      reminders: true,
    });
  });

  it('when the form is empty then the values are kept as sent for the service to name the problems', () => {
    expect(parseStartForm({})).toEqual({ title: '', goalIds: [], deadline: '', participantMode: 'everyone', participantIds: [], reminders: true });
  });

  it('when a value is not text then it reads as empty', () => {
    expect(parseStartForm({ ...sent, goalIds: ['g1'], reminders: false, participantMode: 1 })).toMatchObject({
      goalIds: [],
      participantMode: 'everyone',
      reminders: true,
    });
  });

  it('when only reminders "false" is sent then reminders are off, any other value keeps them on', () => {
    expect(parseStartForm({ ...sent, reminders: 'false' }).reminders).toBe(false);
    expect(parseStartForm({ ...sent, reminders: 'nej' }).reminders).toBe(true);
  });

  it('when the title is too long then it is kept as sent, untrimmed, cut at the limit', () => {
    const title = ` ${'x'.repeat(150)}`;
    expect(parseStartForm({ ...sent, title }).title).toBe(title.slice(0, 100));
  });

  it('when the deadline does not parse then the rest is kept as sent, title untrimmed', () => {
    expect(parseStartForm({ ...sent, deadline: 'snart' })).toEqual({
      title: '  Målsamtal HT 2025 ',
      goalIds: ['g1', 'g2'],
      deadline: 'snart',
      participantMode: 'chosen',
      participantIds: ['a', 'b'],
      reminders: true,
    });
  });
});

describe('what the teacher’s and principal’s cards send', () => {
  it('when a list has spaces and empty items then only the ids remain', () => {
    expect(splitList(' a , ,b,')).toEqual(['a', 'b']);
    expect(splitList(undefined)).toEqual([]);
  });

  it('when a goal index is beyond the last goal a teacher may have then it does not parse', () => {
    expect(goalIndexSchema.parse(String(MAX_GOALS - 1))).toBe(MAX_GOALS - 1);
    expect(goalIndexSchema.safeParse(MAX_GOALS).success).toBe(false);
    expect(goalIndexSchema.safeParse(-1).success).toBe(false);
  });

  it('when an answer names an unknown step or no dialogue then it does not parse', () => {
    expect(goalAnswerSchema.safeParse({ dialogueId: 'd1', goalIndex: '0', step: 'how', answer: 'Så här' }).success).toBe(true);
    expect(goalAnswerSchema.safeParse({ dialogueId: 'd1', goalIndex: '0', step: 'why' }).success).toBe(false);
    expect(goalAnswerSchema.safeParse({ dialogueId: '', goalIndex: '0', step: 'how' }).success).toBe(false);
  });

  it('when talk notes come without notes then they are empty, and a talk date must be a date or empty', () => {
    expect(talkNotesSchema.parse({ dialogueId: 'd1', teacher: 't1' })).toEqual({ dialogueId: 'd1', teacher: 't1', notes: '' });
    expect(talkNotesSchema.safeParse({ dialogueId: 'd1', teacher: 't1', talkHeldOn: '' }).success).toBe(true);
    expect(talkNotesSchema.safeParse({ dialogueId: 'd1', teacher: 't1', talkHeldOn: 'igår' }).success).toBe(false);
  });
});
