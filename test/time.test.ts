import {
  DEFAULT_QUIET_HOURS,
  daysInRange,
  isoWeekday,
  localDateOf,
  localTimeOf,
  nextSendingMoment,
  parseQuietHours,
  spreadEvenly,
  zonedTime,
} from '../src/time';

const zone = 'Europe/Stockholm';
const dates = (list: { date: string }[]): string[] => list.map((o) => o.date);

describe("zonedTime: planning in the school's time zone, storing UTC", () => {
  test.each([
    ['2026-03-27', '2026-03-27T07:00:00.000Z'],
    ['2026-03-28', '2026-03-28T07:00:00.000Z'],
    ['2026-03-29', '2026-03-29T06:00:00.000Z'],
    ['2026-03-30', '2026-03-30T06:00:00.000Z'],
    ['2026-10-24', '2026-10-24T06:00:00.000Z'],
    ['2026-10-25', '2026-10-25T07:00:00.000Z'],
    ['2026-10-26', '2026-10-26T07:00:00.000Z'],
  ])('when 08:00 Europe/Stockholm is planned on %s then it is stored as %s and reads back as 08:00 local', (date, utc) => {
    const at = zonedTime(date, '08:00', 'Europe/Stockholm');
    expect(at.toISOString()).toBe(utc);
    expect(localTimeOf(at, 'Europe/Stockholm')).toBe('08:00');
    expect(localDateOf(at, 'Europe/Stockholm')).toBe(date);
  });

  test('when no zone is given then it is refused: there is no default zone, the configured one is always passed', () => {
    expect(zonedTime('2026-07-01', '08:00', 'Europe/Stockholm').toISOString()).toBe('2026-07-01T06:00:00.000Z');
    expect(() => zonedTime('2026-07-01', '08:00', undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => localDateOf(new Date(), undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  test('when a time falls in the spring-forward gap then it moves forward by the gap (02:30 becomes 03:30 CEST)', () => {
    const at = zonedTime('2026-03-29', '02:30', 'Europe/Stockholm');
    expect(at.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(localTimeOf(at, 'Europe/Stockholm')).toBe('03:30');
    expect(zonedTime('2026-03-29', '02:00', 'Europe/Stockholm').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(zonedTime('2026-03-29', '03:00', 'Europe/Stockholm').toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  test('when a time falls in the repeated autumn hour then its first occurrence (summer time) is meant', () => {
    expect(zonedTime('2026-10-25', '02:30', 'Europe/Stockholm').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedTime('2026-10-25', '03:00', 'Europe/Stockholm').toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(zonedTime('2026-10-25', '01:59', 'Europe/Stockholm').toISOString()).toBe('2026-10-24T23:59:00.000Z');
  });

  test('when another zone switches on another day then its own rules apply', () => {
    expect(zonedTime('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedTime('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedTime('2026-07-01', '08:00', 'UTC').toISOString()).toBe('2026-07-01T08:00:00.000Z');
  });

  test.each([
    ['2026-02-30', '08:00', 'Europe/Stockholm'],
    ['2026-9-01', '08:00', 'Europe/Stockholm'],
    ['2026-09-01', '24:00', 'Europe/Stockholm'],
    ['2026-09-01', '8:00', 'Europe/Stockholm'],
    ['2026-09-01', '08:00', 'Europe/Atlantis'],
  ])('when date %s, time %s or zone %s is malformed then INVALID_INPUT', (date, time, zone) => {
    expect(() => zonedTime(date, time, zone)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('spreading meetings evenly', () => {
  test('when 2 meetings are spread over two school weeks then each takes the middle of its week', () => {
    expect(dates(spreadEvenly({ count: 2, from: '2026-09-07', to: '2026-09-18', time: '15:00', zone }))).toEqual(['2026-09-09', '2026-09-16']);
  });

  test("when a lärgrupp's 6 meetings are spread over a läsår on Wednesdays then none falls in a lov and they are spaced evenly", () => {
    const lov = [
      { from: '2026-10-26', to: '2026-10-30' },
      { from: '2026-12-21', to: '2027-01-08' },
      { from: '2027-02-15', to: '2027-02-19' },
      { from: '2027-03-29', to: '2027-04-02' },
    ];
    const list = spreadEvenly({ count: 6, from: '2026-08-17', to: '2027-06-11', weekdays: ['wed'], time: '15:30', zone, skip: { holidays: lov } });
    expect(list).toHaveLength(6);
    for (const meeting of list) {
      expect(isoWeekday(meeting.date)).toBe(3);
      expect(lov.some((range) => range.from <= meeting.date && meeting.date <= range.to)).toBe(false);
      expect(localTimeOf(meeting.at, zone)).toBe('15:30');
    }
    const gaps = list.slice(1).map((meeting, i) => (meeting.at.getTime() - list[i]!.at.getTime()) / 86_400_000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(35);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(70);
  });

  test('when there are fewer school days than meetings then INVALID_INPUT', () => {
    expect(() => spreadEvenly({ count: 3, from: '2026-09-05', to: '2026-09-07', time: '15:00', zone })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('days in a range', () => {
  test('when a range is given then every date in it comes once, both ends included, across a month end', () => {
    expect(daysInRange('2026-09-29', '2026-10-02')).toEqual(['2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02']);
    expect(daysInRange('2026-10-02', '2026-09-29')).toEqual([]);
  });

  test('when a date in the range is malformed then INVALID_INPUT (instead of counting on forever)', () => {
    expect(() => daysInRange('2026-02-30', '2026-03-02')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('nextSendingMoment', () => {
  const zone = 'Europe/Stockholm';
  const at = (iso: string, holidays: Parameters<typeof nextSendingMoment>[3] = []) =>
    nextSendingMoment(new Date(iso), zone, DEFAULT_QUIET_HOURS, holidays).toISOString();

  it('keeps a moment on a school day outside the quiet hours', () => {
    expect(at('2026-12-01T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
  });

  it('moves an evening to the next morning and an early morning to 07:00 the same day', () => {
    expect(at('2026-12-01T19:00:00Z')).toBe('2026-12-02T06:00:00.000Z');
    expect(at('2026-12-01T04:00:00Z')).toBe('2026-12-01T06:00:00.000Z');
  });

  it('skips the weekend and the holidays', () => {
    expect(at('2026-12-04T19:00:00Z')).toBe('2026-12-07T06:00:00.000Z');
    expect(at('2026-12-05T10:00:00Z', ['2026-12-07'])).toBe('2026-12-08T06:00:00.000Z');
    expect(at('2026-12-05T10:00:00Z', [{ from: '2026-12-07', to: '2026-12-09' }])).toBe('2026-12-10T06:00:00.000Z');
  });

  it('reads quiet hours written HH:MM-HH:MM and refuses anything else', () => {
    expect(parseQuietHours('18:00-07:00')).toEqual({ from: '18:00', to: '07:00' });
    expect(parseQuietHours('18-07')).toBeUndefined();
    expect(parseQuietHours('07:00-07:00')).toBeUndefined();
  });
});
