import { occurrences } from '../../src/scheduler/recurrence';
import { localTimeOf } from '../../src/time';

/** The school's zone: a rule has no default zone, the configured one is passed down. */
const zone = 'Europe/Stockholm';

const iso = (list: { at: Date }[]): string[] => list.map((o) => o.at.toISOString());
const dates = (list: { date: string }[]): string[] => list.map((o) => o.date);

describe('recurrences', () => {
  test('when a weekly 08:00 recurrence crosses the spring switch then it stays at 08:00 local (07:00Z, then 06:00Z)', () => {
    const list = occurrences({ type: 'weekly', from: '2026-03-16', to: '2026-04-06', weekdays: ['mon'], time: '08:00', zone });
    expect(iso(list)).toEqual(['2026-03-16T07:00:00.000Z', '2026-03-23T07:00:00.000Z', '2026-03-30T06:00:00.000Z', '2026-04-06T06:00:00.000Z']);
    expect(list.map((o) => localTimeOf(o.at, zone))).toEqual(['08:00', '08:00', '08:00', '08:00']);
  });

  test('when a weekly 08:00 recurrence crosses the autumn switch then it stays at 08:00 local (06:00Z, then 07:00Z)', () => {
    const list = occurrences({ type: 'weekly', from: '2026-10-14', to: '2026-11-04', weekdays: ['wed'], time: '08:00', zone });
    expect(iso(list)).toEqual(['2026-10-14T06:00:00.000Z', '2026-10-21T06:00:00.000Z', '2026-10-28T07:00:00.000Z', '2026-11-04T07:00:00.000Z']);
  });

  test('when every weekday is asked for with a lov listed as holidays then weekends and the lov are left out', () => {
    const list = occurrences({
      type: 'weekly',
      from: '2026-10-19',
      to: '2026-11-03',
      time: '08:15',
      zone,
      skip: { holidays: [{ from: '2026-10-26', to: '2026-10-30' }, '2026-11-02'] },
    });
    expect(dates(list)).toEqual(['2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-11-03']);
  });

  test('when given dates include a weekend and a holiday and skipping is on then those dates are left out, the rest sorted once', () => {
    const list = occurrences({
      type: 'onDates',
      dates: ['2026-09-07', '2026-09-04', '2026-09-05', '2026-09-04', '2026-09-08'],
      time: '14:00',
      zone,
      skip: { weekends: true, holidays: ['2026-09-07'] },
    });
    expect(iso(list)).toEqual(['2026-09-04T12:00:00.000Z', '2026-09-08T12:00:00.000Z']);
  });

  test('when given dates include a weekend and skipping is off then every date is kept', () => {
    expect(dates(occurrences({ type: 'onDates', dates: ['2026-09-05', '2026-09-06'], time: '10:00', zone }))).toEqual(['2026-09-05', '2026-09-06']);
  });

  test('when a reminder is N days before a deadline then it is that local date at the time', () => {
    expect(iso(occurrences({ type: 'daysBefore', date: '2026-09-30', days: 7, time: '08:00', zone }))).toEqual(['2026-09-23T06:00:00.000Z']);
    // Seven days before 2026-11-01 crosses the autumn switch: still 08:00 local.
    expect(iso(occurrences({ type: 'daysBefore', date: '2026-11-02', days: 7, time: '08:00', zone }))).toEqual(['2026-10-26T07:00:00.000Z']);
  });

  test('when N days before lands on a weekend or holiday then the reminder moves to the school day before, never later', () => {
    // 2026-10-05 is a Monday; two days before is Saturday.
    expect(dates(occurrences({ type: 'daysBefore', date: '2026-10-05', days: 2, time: '08:00', zone, skip: { weekends: true } }))).toEqual(['2026-10-02']);
    expect(
      dates(occurrences({ type: 'daysBefore', date: '2026-10-05', days: 2, time: '08:00', zone, skip: { weekends: true, holidays: ['2026-10-02'] } })),
    ).toEqual(['2026-10-01']);
  });

  test.each([
    [{ type: 'weekly', from: '2026-09-10', to: '2026-09-01', time: '08:00', zone }],
    [{ type: 'weekly', from: '2026-01-01', to: '2029-01-01', time: '08:00', zone }],
    [{ type: 'weekly', from: '2026-09-01', to: '2026-09-10', weekdays: [], time: '08:00', zone }],
    [{ type: 'onDates', dates: [], time: '08:00', zone }],
    [{ type: 'onDates', dates: ['2026-09-01'], time: '8', zone }],
    [{ type: 'daysBefore', date: '2026-09-01', days: -1, time: '08:00', zone }],
    [{ type: 'monthly', time: '08:00', zone }],
    [{ type: 'onDates', dates: ['2026-09-01'], time: '08:00' }],
  ])('when a rule is invalid (%j) then INVALID_INPUT', (rule) => {
    expect(() => occurrences(rule as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
