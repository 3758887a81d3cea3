import { AppError } from '../../src/domain/errors';
import type { FocusArea, ProcessStep, SchoolFocusVersion } from '../../src/domain/schoolFocus';
import { openStores, type Stores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';

const focus = (title: string): FocusArea => ({ title, period: 'Läsåret 2026/27', why: 'Eleverna behöver skolspråket.', goalIds: ['las-och-skriv'] });
const step = (what: string): ProcessStep => ({ what, who: 'Mentor', when: 'Samma vecka', withWhom: 'Kurator' });

function version<K extends 'focusArea' | 'processMap'>(
  kind: K,
  value: SchoolFocusVersion<K>['value'],
  n: number,
  schoolId = 'exempelskolan',
): SchoolFocusVersion<K> {
  return { schoolId, kind, value, version: n, updatedAt: `2026-09-0${n}T08:00:00.000Z`, updatedBy: n === 1 ? 'organisation file' : 'aad-rektor' };
}

describe('the school focus table on Azurite', () => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await openStores({ connectionString: azuriteConnectionString(), tablePrefix: uniqueTablePrefix('f') });
  });

  test('when three versions are saved then the current one is the last and the history keeps all three, oldest first', async () => {
    const table = stores.schoolFocus;
    await table.saveVersion(version('focusArea', focus('SKUA'), 1), 0);
    await table.saveVersion(version('focusArea', focus('SKUA i alla ämnen'), 2), 1);
    await table.saveVersion(version('focusArea', focus('Läsning'), 3), 2);
    expect((await table.current('exempelskolan', 'focusArea'))?.value.title).toBe('Läsning');
    const history = await table.history('exempelskolan', 'focusArea');
    expect(history.map((entry) => [entry.version, entry.value.title])).toEqual([
      [1, 'SKUA'],
      [2, 'SKUA i alla ämnen'],
      [3, 'Läsning'],
    ]);
    expect(await table.history('exempelskolan', 'processMap')).toEqual([]);
  });

  test('when a save names an older version then it is refused as stale and neither the current version nor the history changes', async () => {
    const table = stores.schoolFocus;
    await table.saveVersion(version('processMap', [step('Ett')], 1), 0);
    await table.saveVersion(version('processMap', [step('Ett'), step('Två')], 2), 1);
    await expect(table.saveVersion(version('processMap', [step('Gammalt kort')], 2), 1)).rejects.toMatchObject({ code: 'STALE' });
    await expect(table.saveVersion(version('processMap', [step('Först')], 1), 0)).rejects.toBeInstanceOf(AppError);
    expect((await table.current('exempelskolan', 'processMap'))?.value.map((s) => s.what)).toEqual(['Ett', 'Två']);
    expect((await table.history('exempelskolan', 'processMap')).map((entry) => entry.version)).toEqual([1, 2]);
  });

  test('when two saves of the same version race then one wins and the history holds the winner only', async () => {
    const table = stores.schoolFocus;
    await table.saveVersion(version('focusArea', focus('Start'), 1), 0);
    const results = await Promise.allSettled([
      table.saveVersion(version('focusArea', focus('A'), 2), 1),
      table.saveVersion(version('focusArea', focus('B'), 2), 1),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const current = (await table.current('exempelskolan', 'focusArea'))!.value.title;
    const history = await table.history('exempelskolan', 'focusArea');
    expect(history.map((entry) => entry.value.title)).toEqual(['Start', current]);
  });

  test('when the organisation file is seeded again after an edit in Teams then the edit is kept', async () => {
    const table = stores.schoolFocus;
    await table.seed([version('focusArea', focus('Från filen'), 1), version('processMap', [step('Från filen')], 1)]);
    await table.saveVersion(version('focusArea', focus('Ändrat i Teams'), 2), 1);
    await table.seed([version('focusArea', focus('Filen ändrad'), 1), version('focusArea', focus('Annan skola'), 1, 'norrskolan')]);
    expect((await table.current('exempelskolan', 'focusArea'))?.value.title).toBe('Ändrat i Teams');
    expect((await table.history('exempelskolan', 'focusArea')).map((entry) => entry.value.title)).toEqual(['Från filen', 'Ändrat i Teams']);
    expect((await table.current('norrskolan', 'focusArea'))?.value.title).toBe('Annan skola');
    expect((await table.current('exempelskolan', 'processMap'))?.value[0]?.what).toBe('Från filen');
  });
});
