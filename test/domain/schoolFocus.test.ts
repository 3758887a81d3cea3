import { join } from 'node:path';
import {
  focusFromOrganisation,
  MAX_PROCESS_STEPS,
  readFocusAreaForm,
  readProcessStepForm,
  SchoolFocusService,
  type SchoolFocusKind,
  type SchoolFocusRepository,
  type SchoolFocusVersion,
} from '../../src/domain/schoolFocus';
import type { SchoolGoal, SchoolGoalRepository } from '../../src/domain/schoolGoals';
import { loadOrganisation, parseOrganisation } from '../../src/organisation/loadOrganisation';

const organisation = loadOrganisation(join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml'));
const now = new Date('2026-09-01T08:00:00Z');
const RUT = { aadObjectId: '00000000-0000-4000-8000-00000000a000' };
const NILS = { aadObjectId: '00000000-0000-4000-8000-00000000d002' };

const goal = (id: string, status: SchoolGoal['status'] = 'active'): SchoolGoal => ({
  schoolId: 'exempelskolan',
  id,
  title: `Mål ${id}`,
  serves: ['resultat'],
  status,
  position: 0,
  version: 1,
  updatedAt: now.toISOString(),
  updatedBy: 'organisation file',
});

/** The repository's contract in memory: a save under another version than the current one is STALE. */
class MemoryFocus implements SchoolFocusRepository {
  readonly versions: SchoolFocusVersion[] = [];
  async current<K extends SchoolFocusKind>(schoolId: string, kind: K) {
    return (await this.history(schoolId, kind)).at(-1);
  }
  async saveVersion<K extends SchoolFocusKind>(entry: SchoolFocusVersion<K>, expectedVersion: number) {
    if (((await this.current(entry.schoolId, entry.kind))?.version ?? 0) !== expectedVersion) throw Object.assign(new Error('stale'), { code: 'STALE' });
    this.versions.push(structuredClone(entry));
  }
  async history<K extends SchoolFocusKind>(schoolId: string, kind: K) {
    return this.versions.filter((v) => v.schoolId === schoolId && v.kind === kind) as SchoolFocusVersion<K>[];
  }
  async seed(entries: SchoolFocusVersion[]) {
    for (const entry of entries) if (!(await this.current(entry.schoolId, entry.kind))) this.versions.push(entry);
  }
}

function service(goals: SchoolGoal[] = [goal('studiero'), goal('las-och-skriv'), goal('gammalt', 'retired')]) {
  const focus = new MemoryFocus();
  const schoolGoals = { list: async () => goals } as unknown as SchoolGoalRepository;
  return { focus, service: new SchoolFocusService(organisation, focus, schoolGoals, () => now) };
}

describe('the organisation file as the first version', () => {
  it('when the demo file is read then Exempelskolan has a fokusområde and a processkarta of three steps, and Norrskolan neither', () => {
    const entries = focusFromOrganisation(organisation, now);
    expect(entries.map((e) => [e.schoolId, e.kind, e.version])).toEqual([
      ['exempelskolan', 'focusArea', 1],
      ['exempelskolan', 'processMap', 1],
    ]);
    expect(entries[0]?.value).toMatchObject({ period: 'Läsåret 2026/27', goalIds: ['las-och-skriv'] });
    expect((entries[1]?.value as unknown[]).at(1)).toMatchObject({ who: 'Undervisande lärare', withWhom: '' });
  });

  it('when a file has a processkarta of more than the most steps then the loader names the field', () => {
    const steps = Array.from({ length: MAX_PROCESS_STEPS + 1 }, (_, i) => `      - { what: Steg ${i}, who: Mentor, when: Direkt }`).join('\n');
    const text = `organisation:\n  name: X\n  overarchingGoals:\n    - { id: trygghet, title: Trygghet för alla }\nschoolYear: { name: Läsår, start: 2026-08-17, end: 2027-06-11 }\nschools:\n  - id: a\n    name: A\n    teamId: "19:a@thread.tacv2"\n    principals: [{ aadObjectId: ${RUT.aadObjectId} }]\n    processMap:\n${steps}\n`;
    expect(() => parseOrganisation(text)).toThrow(/processMap.*more than 20 steps/);
  });
});

describe('the forms', () => {
  const active = [goal('studiero'), goal('las-och-skriv')];

  it('when the fokusområde form is filled in then the values come back trimmed with the goals as a list', () => {
    expect(readFocusAreaForm({ title: ' SKUA ', period: 'HT 2026', why: 'För att', goals: 'studiero, las-och-skriv,,studiero' }, active)).toEqual({
      ok: true,
      value: { title: 'SKUA', period: 'HT 2026', why: 'För att', goalIds: ['studiero', 'las-och-skriv'] },
    });
  });

  it('when the title is missing, the why is too long and a goal is crafted then every field with a problem is named and the typed text is kept', () => {
    const result = readFocusAreaForm({ title: { crafted: true }, why: 'x'.repeat(2001), goals: 'studiero' }, active);
    expect(result).toEqual({
      ok: false,
      problems: { title: 'required', why: 'tooLong' },
      typed: { title: '', period: '', why: 'x'.repeat(2001), goals: 'studiero' },
    });
    expect(readFocusAreaForm({ title: 'SKUA', goals: 'gammalt' }, active)).toMatchObject({ ok: false, problems: { goals: 'unknownGoal' } });
  });

  it('when a step lacks who and when then both are named; with whom may be left out', () => {
    expect(readProcessStepForm({ what: 'Mentor ringer hem', who: ' ', when: '' })).toMatchObject({
      ok: false,
      problems: { who: 'required', when: 'required' },
    });
    expect(readProcessStepForm({ what: 'Mentor ringer hem', who: 'Mentor', when: 'Samma dag' })).toEqual({
      ok: true,
      value: { what: 'Mentor ringer hem', who: 'Mentor', when: 'Samma dag', withWhom: '' },
    });
  });
});

describe('the service', () => {
  const step = { what: 'Mentor ringer hem', who: 'Mentor', when: 'Samma dag', withWhom: '' };

  it('when the principal saves twice then each save is the next version, by her', async () => {
    const { service: focus } = service();
    const first = await focus.saveFocusArea('exempelskolan', RUT, { title: 'SKUA', goals: 'studiero' }, 0);
    const second = await focus.saveFocusArea('exempelskolan', RUT, { title: 'SKUA i alla ämnen', goals: '' }, 1);
    expect('saved' in first && first.saved.version).toBe(1);
    expect('saved' in second && second.saved).toMatchObject({ version: 2, updatedBy: RUT.aadObjectId, value: { title: 'SKUA i alla ämnen', goalIds: [] } });
    expect(await focus.focusLine('exempelskolan')).toEqual({ title: 'SKUA i alla ämnen', why: '' });
  });

  it("when another school's principal or a teacher saves then it is NOT_ALLOWED and nothing is stored", async () => {
    const { service: focus, focus: stored } = service();
    await expect(focus.saveFocusArea('exempelskolan', NILS, { title: 'X' }, 0)).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
      details: { action: 'editFocusArea' },
    });
    await expect(focus.changeProcessMap('exempelskolan', { aadObjectId: 'teacher' }, { kind: 'remove', index: 0 }, 0)).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
      details: { action: 'editProcessMap' },
    });
    expect(stored.versions).toEqual([]);
  });

  it('when steps are added, moved up and removed then the order follows, and a change from an older version is STALE', async () => {
    const { service: focus } = service();
    await focus.changeProcessMap('exempelskolan', RUT, { kind: 'save', data: { ...step, what: 'A' } }, 0);
    await focus.changeProcessMap('exempelskolan', RUT, { kind: 'save', data: { ...step, what: 'B' } }, 1);
    await focus.changeProcessMap('exempelskolan', RUT, { kind: 'moveUp', index: 1 }, 2);
    expect((await focus.processMap(organisation.schoolById('exempelskolan')!))?.value.map((s) => s.what)).toEqual(['B', 'A']);
    await expect(focus.changeProcessMap('exempelskolan', RUT, { kind: 'remove', index: 0 }, 2)).rejects.toMatchObject({ code: 'STALE' });
    await expect(focus.changeProcessMap('exempelskolan', RUT, { kind: 'moveUp', index: 0 }, 3)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await focus.changeProcessMap('exempelskolan', RUT, { kind: 'remove', index: 0 }, 3);
    expect((await focus.history('exempelskolan', 'processMap')).map((v) => v.value.map((s) => s.what))).toEqual([['A'], ['A', 'B'], ['B', 'A'], ['A']]);
  });

  it('when the processkarta has the most steps then one more is refused', async () => {
    const { service: focus, focus: stored } = service();
    const full = Array.from({ length: MAX_PROCESS_STEPS }, (_, i) => ({ ...step, what: `Steg ${i}` }));
    await stored.saveVersion({ schoolId: 'exempelskolan', kind: 'processMap', value: full, version: 1, updatedAt: '', updatedBy: '' }, 0);
    await expect(focus.changeProcessMap('exempelskolan', RUT, { kind: 'save', data: step }, 1)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'tooManySteps' },
    });
  });
});
