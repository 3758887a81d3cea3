import { occurrences, spreadEvenly } from '../../src/scheduler/recurrence';
import { isoWeekday, localTimeOf } from '../../src/time';

const iso = (list: { at: Date }[]): string[] => list.map((o) => o.at.toISOString());
const dates = (list: { date: string }[]): string[] => list.map((o) => o.date);

describe('recurrences', () => {
  test('when a weekly 08:00 recurrence crosses the spring switch then it stays at 08:00 local (07:00Z, then 06:00Z)', () => {
    const list = occurrences({ type: 'weekly', from: '2026-03-16', to: '2026-04-06', weekdays: ['mon'], time: '08:00' });
    expect(iso(list)).toEqual(['2026-03-16T07:00:00.000Z', '2026-03-23T07:00:00.000Z', '2026-03-30T06:00:00.000Z', '2026-04-06T06:00:00.000Z']);
    expect(list.map((o) => localTimeOf(o.at))).toEqual(['08:00', '08:00', '08:00', '08:00']);
  });

  test('when a weekly 08:00 recurrence crosses the autumn switch then it stays at 08:00 local (06:00Z, then 07:00Z)', () => {
    const list = occurrences({ type: 'weekly', from: '2026-10-14', to: '2026-11-04', weekdays: ['wed'], time: '08:00', zone: 'Europe/Stockholm' });
    expect(iso(list)).toEqual(['2026-10-14T06:00:00.000Z', '2026-10-21T06:00:00.000Z', '2026-10-28T07:00:00.000Z', '2026-11-04T07:00:00.000Z']);
  });

  test('when every weekday is asked for with a lov listed as holidays then weekends and the lov are left out', () => {
    const list = occurrences({
      type: 'weekly',
      from: '2026-10-19',
      to: '2026-11-03',
      time: '08:15',
      skip: { holidays: [{ from: '2026-10-26', to: '2026-10-30' }, '2026-11-02'] },
    });
    expect(dates(list)).toEqual(['2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-11-03']);
  });

  test('when given dates include a weekend and a holiday and skipping is on then those dates are left out, the rest sorted once', () => {
    const list = occurrences({
      type: 'onDates',
      dates: ['2026-09-07', '2026-09-04', '2026-09-05', '2026-09-04', '2026-09-08'],
      time: '14:00',
      skip: { weekends: true, holidays: ['2026-09-07'] },
    });
    expect(iso(list)).toEqual(['2026-09-04T12:00:00.000Z', '2026-09-08T12:00:00.000Z']);
  });

  test('when given dates include a weekend and skipping is off then every date is kept', () => {
    expect(dates(occurrences({ type: 'onDates', dates: ['2026-09-05', '2026-09-06'], time: '10:00' }))).toEqual(['2026-09-05', '2026-09-06']);
  });

  test('when a reminder is N days before a deadline then it is that local date at the time', () => {
    expect(iso(occurrences({ type: 'daysBefore', date: '2026-09-30', days: 7, time: '08:00' }))).toEqual(['2026-09-23T06:00:00.000Z']);
    // Seven days before 2026-11-01 crosses the autumn switch: still 08:00 local.
    expect(iso(occurrences({ type: 'daysBefore', date: '2026-11-02', days: 7, time: '08:00' }))).toEqual(['2026-10-26T07:00:00.000Z']);
  });

  test('when N days before lands on a weekend or holiday then the reminder moves to the school day before, never later', () => {
    // 2026-10-05 is a Monday; two days before is Saturday.
    expect(dates(occurrences({ type: 'daysBefore', date: '2026-10-05', days: 2, time: '08:00', skip: { weekends: true } }))).toEqual(['2026-10-02']);
    expect(
      dates(occurrences({ type: 'daysBefore', date: '2026-10-05', days: 2, time: '08:00', skip: { weekends: true, holidays: ['2026-10-02'] } })),
    ).toEqual(['2026-10-01']);
  });

  test.each([
    [{ type: 'weekly', from: '2026-09-10', to: '2026-09-01', time: '08:00' }],
    [{ type: 'weekly', from: '2026-01-01', to: '2029-01-01', time: '08:00' }],
    [{ type: 'weekly', from: '2026-09-01', to: '2026-09-10', weekdays: [], time: '08:00' }],
    [{ type: 'onDates', dates: [], time: '08:00' }],
    [{ type: 'onDates', dates: ['2026-09-01'], time: '8' }],
    [{ type: 'daysBefore', date: '2026-09-01', days: -1, time: '08:00' }],
    [{ type: 'monthly', time: '08:00' }],
  ])('when a rule is invalid (%j) then INVALID_INPUT', (rule) => {
    expect(() => occurrences(rule as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('spreading meetings evenly', () => {
  test('when 2 meetings are spread over two school weeks then each takes the middle of its week', () => {
    expect(dates(spreadEvenly({ count: 2, from: '2026-09-07', to: '2026-09-18', time: '15:00' }))).toEqual(['2026-09-09', '2026-09-16']);
  });

  test('when a lärgrupp\'s 6 meetings are spread over a läsår on Wednesdays then none falls in a lov and they are spaced evenly', () => {
    const lov = [
      { from: '2026-10-26', to: '2026-10-30' },
      { from: '2026-12-21', to: '2027-01-08' },
      { from: '2027-02-15', to: '2027-02-19' },
      { from: '2027-03-29', to: '2027-04-02' },
    ];
    const list = spreadEvenly({ count: 6, from: '2026-08-17', to: '2027-06-11', weekdays: ['wed'], time: '15:30', skip: { holidays: lov } });
    expect(list).toHaveLength(6);
    for (const meeting of list) {
      expect(isoWeekday(meeting.date)).toBe(3);
      expect(lov.some((range) => range.from <= meeting.date && meeting.date <= range.to)).toBe(false);
      expect(localTimeOf(meeting.at)).toBe('15:30');
    }
    const gaps = list.slice(1).map((meeting, i) => (meeting.at.getTime() - list[i]!.at.getTime()) / 86_400_000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(35);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(70);
  });

  test('when there are fewer school days than meetings then INVALID_INPUT', () => {
    expect(() => spreadEvenly({ count: 3, from: '2026-09-05', to: '2026-09-07', time: '15:00' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
