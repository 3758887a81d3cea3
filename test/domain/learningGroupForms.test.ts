import { MAX_MEETINGS, MAX_QUESTIONS, type Question } from '../../src/domain/learningGroup';
import {
  checkInIdSchema,
  editedQuestions,
  editorChoiceSchema,
  groupFormOf,
  MAX_PEOPLE_RESULTS,
  meetingCountOf,
  searchPeople,
  shownQuestionsSchema,
} from '../../src/domain/learningGroupForms';
import { idsIn } from '../../src/domain/learningGroupFormRules';
import { groupFormSchema } from '../../src/domain/learningGroupFormRules';

describe('the group form as a card sends it', () => {
  it('when dates arrive as date0 … dateN then they come back in number order', () => {
    const form = groupFormOf({ date10: '2025-12-01', date2: '2025-10-01', date0: '2025-09-01', dateX: 'no' });
    expect(form.dates).toEqual(['2025-09-01', '2025-10-01', '2025-12-01']);
  });

  it('when values are missing or null then the form’s defaults apply, and numbers become text', () => {
    expect(groupFormOf({ name: 'Läslyftet', meetingCount: 4, privacy: null, groupId: '' })).toEqual({
      ...groupFormSchema.parse({}),
      name: 'Läslyftet',
      meetingCount: '4',
    });
  });
});

describe('how many meetings to spread', () => {
  it('when a number is asked for then it is used', () => {
    expect(meetingCountOf({ meetingCount: '4' }, 6)).toBe(4);
  });

  it('when nothing, zero or no number is asked for then the kind’s default is used', () => {
    expect(meetingCountOf({ meetingCount: '' }, 6)).toBe(6);
    expect(meetingCountOf({ meetingCount: '0' }, 5)).toBe(5);
    expect(meetingCountOf({ meetingCount: 'sex' }, 6)).toBe(6);
  });

  it('when the number is below one or above the limit then it is clamped', () => {
    expect(meetingCountOf({ meetingCount: '-3' }, 6)).toBe(1);
    expect(meetingCountOf({ meetingCount: String(MAX_MEETINGS + 5) }, 6)).toBe(MAX_MEETINGS);
  });
});

describe('the question editor', () => {
  const current: Question[] = [
    { id: 'prepared', kind: 'rating', label: 'Hur förberedd är du?', required: true },
    { id: 'tried', kind: 'text', label: 'Vad prövade du?', required: false },
  ];

  it('when labels change, one is emptied and a new one is written then the edit is the result', () => {
    expect(editedQuestions(current, { q0Label: ' Förberedd? ', q0Required: 'false', q1Label: '', newLabel: 'Något mer?' })).toEqual([
      { id: 'prepared', kind: 'rating', label: 'Förberedd?', required: false },
      { id: 'custom1', kind: 'text', label: 'Något mer?', required: false },
    ]);
  });

  it('when nothing is sent then the questions stay as they were', () => {
    expect(editedQuestions(current, {})).toEqual(current);
  });

  it('when a custom question exists then the new one takes the next free id', () => {
    const withCustom: Question[] = [...current, { id: 'custom1', kind: 'text', label: 'Egen', required: false }];
    expect(editedQuestions(withCustom, { newLabel: 'Till' })?.at(-1)?.id).toBe('custom2');
  });

  it('when every label is emptied then the edit is refused', () => {
    expect(editedQuestions(current, { q0Label: ' ', q1Label: '' })).toBeUndefined();
  });

  it('when the edit would make more than the maximum number of questions then it is refused', () => {
    const full: Question[] = Array.from({ length: MAX_QUESTIONS }, (_, i) => ({ id: `q${i}`, kind: 'text', label: `Fråga ${i}`, required: false }));
    expect(editedQuestions(full, {})).toEqual(full);
    expect(editedQuestions(full, { newLabel: 'En till' })).toBeUndefined();
  });

  it('when a label is longer than a question label may be then the edit is refused', () => {
    expect(editedQuestions(current, { q1Label: 'x'.repeat(300) })).toBeDefined();
    expect(editedQuestions(current, { q1Label: 'x'.repeat(301) })).toBeUndefined();
  });

  it('when the editor says what it showed then scope and phase are read, an unknown phase is before', () => {
    expect(shownQuestionsSchema.parse('m2|after')).toEqual({ scope: 'm2', phase: 'after' });
    expect(shownQuestionsSchema.parse('all|later')).toEqual({ scope: 'all', phase: 'before' });
    // No scope names no meeting: the group's own questions are edited.
    expect(shownQuestionsSchema.parse(undefined)).toEqual({ scope: '', phase: 'before' });
  });

  it('when the editor is opened without a choice then it shows the group’s before questions', () => {
    expect(editorChoiceSchema.parse({})).toEqual({ scope: 'all', phase: 'before' });
    expect(editorChoiceSchema.safeParse({ phase: 'during' }).success).toBe(false);
  });
});

describe('check-in ids from cards', () => {
  it('when an id is empty or far longer than any built one then it does not parse', () => {
    expect(checkInIdSchema.safeParse('g1~m1~before').success).toBe(true);
    expect(checkInIdSchema.safeParse('').success).toBe(false);
    expect(checkInIdSchema.safeParse('x'.repeat(301)).success).toBe(false);
  });
});

describe('searching the people of the group form', () => {
  const people = ['Åsa Öström', 'Olle Östberg', 'Oscar Ek', 'Bo Åkesson', 'José Pérez', 'Anna-Karin Lindqvist', 'Ali Osman'].map((name) => ({ name }));
  const names = (query: string, page = { skip: 0, top: 25 }) => searchPeople(people, query, page).map((p) => p.name);

  it('when a name is typed without its accents or in another case then it is found', () => {
    expect(names('ostrom')).toEqual(['Åsa Öström']);
    expect(names('JOSE PEREZ')).toEqual(['José Pérez']);
    expect(names('åkes')).toEqual(['Bo Åkesson']);
  });

  it('when the typed text begins a name then that name comes first, then names with a word that begins with it, then the rest', () => {
    expect(names('os')).toEqual(['Oscar Ek', 'Ali Osman', 'Olle Östberg', 'Åsa Öström', 'José Pérez']);
  });

  it('when several words are typed then every one must occur in the name, in any order', () => {
    expect(names('lindqvist anna')).toEqual(['Anna-Karin Lindqvist']);
    expect(names('anna ek')).toEqual([]);
  });

  it('when nothing is typed then everyone comes, in Swedish alphabetical order', () => {
    expect(names('  ')).toEqual(['Ali Osman', 'Anna-Karin Lindqvist', 'Bo Åkesson', 'José Pérez', 'Olle Östberg', 'Oscar Ek', 'Åsa Öström']);
  });

  it('when a page is asked for then skip and top page through the matches, never more than 25 at a time', () => {
    expect(names('', { skip: 2, top: 2 })).toEqual(['Bo Åkesson', 'José Pérez']);
    const many = Array.from({ length: 100 }, (_, i) => ({ name: `Lärare ${i}` }));
    expect(searchPeople(many, 'lärare', { skip: 0, top: 500 })).toHaveLength(MAX_PEOPLE_RESULTS);
    expect(searchPeople(many, 'lärare', { skip: Number.NaN, top: Number.NaN })).toHaveLength(MAX_PEOPLE_RESULTS);
  });

  it('when a picker value is read then its ids come once each, in order, without blanks', () => {
    expect(idsIn(' a, b,,a ,c ')).toEqual(['a', 'b', 'c']);
  });
});
