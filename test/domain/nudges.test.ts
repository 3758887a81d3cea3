import { linkProblem, nextSending, type NudgeCalendar, nudgeDates, readNudgeForm } from '../../src/domain/nudges';
import { DEMO_ORGANISATION_FILE } from '../../src/config';
import { loadOrganisation } from '../../src/organisation/loadOrganisation';

// The demo organisation's holidays: höstlov 26–30 October 2026, jullov 23 December – 6 January.
const organisation = loadOrganisation(DEMO_ORGANISATION_FILE);
const calendar: NudgeCalendar = { timeZone: 'Europe/Stockholm', quietHours: { from: '18:00', to: '07:00' }, holidays: organisation.holidays() };

describe('when a nudge is sent', () => {
  test('when a series every other week starts on a Saturday then it runs on the Mondays after, leaving out höstlov and jullov', () => {
    expect(nudgeDates({ kind: 'series', from: '2026-10-10', to: '2027-01-18', everyWeeks: 2, time: '08:00' }, calendar)).toEqual([
      '2026-10-12',
      '2026-11-09',
      '2026-11-23',
      '2026-12-07',
      '2026-12-21',
      '2027-01-18',
    ]);
  });

  test('when a once-nudge falls on a holiday then it goes on the first school day after', () => {
    expect(nudgeDates({ kind: 'once', date: '2026-10-28', time: '08:00' }, calendar)).toEqual(['2026-11-02']);
  });

  test('when the time is 08:00 then the instant is 08:00 in Stockholm on either side of the clock change', () => {
    const schedule = { kind: 'series' as const, from: '2026-10-12', to: '2026-11-30', everyWeeks: 2, time: '08:00' };
    expect(nextSending(schedule, calendar, new Date('2026-10-01T00:00:00Z'))).toEqual({ date: '2026-10-12', at: '2026-10-12T06:00:00.000Z' });
    expect(nextSending(schedule, calendar, new Date('2026-10-01T00:00:00Z'), '2026-10-12')).toEqual({ date: '2026-11-09', at: '2026-11-09T07:00:00.000Z' });
    expect(nextSending(schedule, calendar, new Date('2026-12-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('the nudge form', () => {
  const allowed = { ties: new Set(['focus|s']), audiences: new Set(['here']) };
  const now = new Date('2026-10-09T08:00:00Z');
  const read = (data: Record<string, unknown>) =>
    readNudgeForm(
      { text: 'Läs högt i dag.', tie: 'focus|s', audience: 'here', repeat: 'once', date: '2026-10-12', time: '08:00', ...data },
      allowed,
      calendar,
      now,
      '2026-10-09',
    );

  test('when links are checked then only https with a host and no password is taken', () => {
    expect(linkProblem('https://www.skolverket.se/a?b=c')).toBeUndefined();
    expect(linkProblem('http://www.skolverket.se')).toBe('notHttps');
    expect(linkProblem('javascript:alert(1)')).toBe('notHttps');
    expect(linkProblem('https://user:pw@example.se')).toBe('badLink');
    expect(linkProblem('skolverket.se')).toBe('badLink');
  });

  test('when a field is bad then it is named and nothing is read', () => {
    expect(read({ text: '' })).toMatchObject({ ok: false, problems: { text: 'required' } });
    expect(read({ text: 'x'.repeat(501) })).toMatchObject({ ok: false, problems: { text: 'tooLong' } });
    expect(read({ tie: 'goal|other|g' })).toMatchObject({ ok: false, problems: { tie: 'unknown' } });
    expect(read({ audience: 'dialogue|x' })).toMatchObject({ ok: false, problems: { audience: 'unknown' } });
    expect(read({ date: '2026-10-01' })).toMatchObject({ ok: false, problems: { date: 'past' } });
    expect(read({ time: '21:00' })).toMatchObject({ ok: false, problems: { time: 'quietTime' } });
    expect(read({ repeat: 'series', to: '2026-10-01', everyWeeks: '0' })).toMatchObject({ ok: false, problems: { to: 'beforeFrom', everyWeeks: 'badNumber' } });
    // Today, but the time has passed: nothing ahead.
    expect(read({ date: '2026-10-09', time: '09:00' })).toMatchObject({ ok: false, problems: { date: 'noDates' } });
  });

  test('when the form is good then the schedule and its first sending are read', () => {
    expect(read({ link: ' https://skolverket.se ' })).toEqual({
      ok: true,
      value: {
        text: 'Läs högt i dag.',
        link: 'https://skolverket.se',
        tie: 'focus|s',
        audience: 'here',
        schedule: { kind: 'once', date: '2026-10-12', time: '08:00' },
        next: { date: '2026-10-12', at: '2026-10-12T06:00:00.000Z' },
      },
    });
  });
});
