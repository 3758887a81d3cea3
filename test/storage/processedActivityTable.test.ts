import { openStores } from '../../src/storage';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';

/** The processed-activity claims on Azurite: create-if-absent across instances, expiry, clean-up. */
describe('processed activities', () => {
  const at = new Date('2026-09-01T08:00:00Z');
  const later = (hours: number) => new Date(at.getTime() + hours * 3_600_000);
  const open = (tablePrefix: string) => openStores({ connectionString: azuriteConnectionString(), tablePrefix });

  test('when two instances claim the same activity at once then exactly one gets it', async () => {
    const prefix = uniqueTablePrefix('p');
    const [one, two] = await Promise.all([open(prefix), open(prefix)]);
    const claims = await Promise.all([one.processedActivities.claim('a:chat', 'act-1', at), two.processedActivities.claim('a:chat', 'act-1', at)]);
    expect(claims.sort()).toEqual([false, true]);
  });

  test('when the same activity id comes in another conversation then it is a new activity', async () => {
    const { processedActivities } = await open(uniqueTablePrefix('p'));
    expect(await processedActivities.claim('a:chat-1', 'act-1', at)).toBe(true);
    expect(await processedActivities.claim('a:chat-2', 'act-1', at)).toBe(true);
  });

  test('when a claim is released then the activity may be claimed again', async () => {
    const { processedActivities } = await open(uniqueTablePrefix('p'));
    await processedActivities.claim('a:chat', 'act-1', at);
    await processedActivities.release('a:chat', 'act-1');
    expect(await processedActivities.claim('a:chat', 'act-1', at)).toBe(true);
  });

  test('when a claim is older than a day then it is ignored, and the sweep deletes only expired claims', async () => {
    const { processedActivities } = await open(uniqueTablePrefix('p'));
    await processedActivities.claim('a:chat', 'old', at);
    await processedActivities.claim('a:chat', 'new', later(20));
    expect(await processedActivities.claim('a:chat', 'old', later(23))).toBe(false);
    expect(await processedActivities.sweep(later(25))).toBe(1);
    expect(await processedActivities.claim('a:chat', 'new', later(25))).toBe(false);
    expect(await processedActivities.claim('a:chat', 'old', later(25))).toBe(true);
  });

  test('when an expired claim was not swept yet then a claim takes it over', async () => {
    const { processedActivities } = await open(uniqueTablePrefix('p'));
    await processedActivities.claim('a:chat', 'act-1', at);
    expect(await processedActivities.claim('a:chat', 'act-1', later(25))).toBe(true);
    expect(await processedActivities.claim('a:chat', 'act-1', later(26))).toBe(false);
  });
});
