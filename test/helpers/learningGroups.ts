import type { Answer, Group } from '../../src/domain/learningGroup';
import type { Person } from '../../src/domain/learningGroupService';
import { defaultCheckInQuestions, type Language } from '../../src/i18n';

/** The staff the sample groups are made of, Lena (the facilitator) first. */
export const STAFF: Person[] = [
  { aadObjectId: 'aad-lena', userId: '29:lena', name: 'Lena Lärare' },
  { aadObjectId: 'aad-ali', userId: '29:ali', name: 'Ali Andersson' },
  { aadObjectId: 'aad-britt', userId: '29:britt', name: 'Britt Berg' },
  { aadObjectId: 'aad-cecilia', userId: '29:cecilia', name: 'Cecilia Ceder' },
  { aadObjectId: 'aad-david', userId: '29:david', name: 'David Dahlberg-Lindqvist' },
  { aadObjectId: 'aad-emma', userId: '29:emma', name: 'Emma Ek' },
  { aadObjectId: 'aad-fredrik', userId: '29:fredrik', name: 'Fredrik Fors' },
  { aadObjectId: 'aad-gunilla', userId: '29:gunilla', name: 'Gunilla Gustafsson' },
];

/**
 * A learning group in a group chat with what no test looks at filled in: Lena
 * leads it alone, it has no meetings yet and shows totals. A test overrides
 * the fields it is about.
 */
export function sampleGroup(overrides: Partial<Group> = {}, language: Language = 'sv'): Group {
  const lena = STAFF[0]!;
  return {
    id: '20260901-abcd1234',
    tenantId: 'tenant',
    conversation: { conversationId: '19:grupp@thread.v2', serviceUrl: 'https://smba.example/', kind: 'groupChat', botId: '28:bot', language },
    name: 'Matematik åk 4–6',
    kind: 'lärgrupp',
    facilitator: { aadObjectId: lena.aadObjectId, userId: lena.userId, name: lena.name },
    members: [{ ...lena, role: 'lärare' }],
    startTime: '15:30',
    endTime: '17:00',
    meetings: [],
    privacy: 'totals',
    questions: defaultCheckInQuestions(language),
    beforeLeadHours: 24,
    reminderLeadHours: 24,
    createdBy: lena.aadObjectId,
    createdAt: '2026-09-01T08:00:00.000Z',
    updatedAt: '2026-09-01T08:00:00.000Z',
    ...overrides,
  };
}

/** A person's answer to a check-in, given in the group chat. */
export function sampleAnswer(checkInId: string, person: Person, values: Answer['values'], answeredAt = '2026-09-15T16:00:00.000Z'): Answer {
  return { checkInId, aadObjectId: person.aadObjectId, name: person.name, values, answeredAt, updatedAt: answeredAt, via: 'group' };
}

/** The maths group the card tests draw: four of the staff (Britt from student health), three meetings, names shown. */
export function mathsGroup(overrides: Partial<Group> = {}, language: Language = 'sv'): Group {
  const [lena, ali, britt, cecilia] = STAFF as [Person, Person, Person, Person];
  return sampleGroup(
    {
      subject: 'Matematik',
      grades: 'åk 4–6',
      members: [
        { ...lena, role: 'lärare' },
        { ...ali, role: 'lärare' },
        { ...britt, role: 'elevhälsa' },
        { ...cecilia, role: 'lärare' },
      ],
      meetings: [
        { id: 'm1', date: '2026-09-15', questions: {} },
        { id: 'm2', date: '2026-10-13', questions: {} },
        { id: 'm3', date: '2026-11-10', questions: {} },
      ],
      privacy: 'named',
      ...overrides,
    },
    language,
  );
}

const FIRST_NAMES = [
  'Anna',
  'Åsa',
  'Björn',
  'Cecilia',
  'David',
  'Elin',
  'Émile',
  'Fatima',
  'Gustav',
  'Hanna',
  'Ibrahim',
  'Johan',
  'Karin',
  'Lars',
  'Maja',
  'Nils',
  'Olle',
  'Petra',
  'Rut',
  'Sara',
  'Tove',
  'Ulf',
  'Vera',
  'Yusuf',
  'Zara',
];
const LAST_NAMES = [
  'Andersson',
  'Öström',
  'Berg',
  'Ek',
  'Lindqvist',
  'Nyström',
  'Pérez',
  'Holm',
  'Sjöberg',
  'Åkesson',
  'Dahlberg-Lindqvist',
  'Hassan',
  'Johansson',
  'Karlsson',
  'Larsson',
  'Månsson',
  'Nilsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Wikström',
  'Axelsson',
  'Bergström',
  'Claesson',
  'Danielsson',
  'Eriksson',
  'Forsberg',
  'Gustafsson',
  'Hedlund',
  'Isaksson',
  'Jakobsson',
  'Kvist',
  'Lund',
  'Mattsson',
  'Nordin',
  'Ottosson',
  'Palm',
  'Rask',
  'Strand',
  'Torstensson',
];

/**
 * A staff team of `size` (up to 1,000) with ids as long as Teams' own (an
 * Entra object id, a 29: user id) and distinct names: the largest team the
 * cards are built for. Lena (who leads) first.
 */
export function largeStaff(size: number): Person[] {
  const others = Array.from({ length: size - 1 }, (_, i) => ({
    aadObjectId: `${String(i + 1).padStart(8, '0')}-5a1e-4c0d-9b7e-3f2a6d8c4e1b`,
    userId: `29:1${String(i + 1).padStart(6, '0')}Xb7QmZ4kTq9LrVw2sYpN8dHfJ3gUcE6aRtK0yWnM5vBxP1iOzS7lDjG_hA-eF`,
    name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}`,
  }));
  return [STAFF[0]!, ...others];
}
