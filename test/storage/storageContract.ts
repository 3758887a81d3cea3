import type { Storage } from 'botbuilder';

/**
 * The behaviour every botbuilder `Storage` in Målbild must have, written
 * once and run against each implementation. It also runs against
 * botbuilder's own MemoryStorage, which shows that the suite asks for what
 * botbuilder's providers do, no more and no less.
 */
export function runStorageContract(name: string, makeStorage: () => Storage | Promise<Storage>): void {
  describe(`${name} (Storage contract)`, () => {
    let storage: Storage;

    beforeEach(async () => {
      storage = await makeStorage();
    });

    async function readOne(key: string): Promise<Record<string, unknown> | undefined> {
      const items = await storage.read([key]);
      return items[key];
    }

    async function currentETag(key: string): Promise<string> {
      const item = await readOne(key);
      if (!item || typeof item.eTag !== 'string') throw new Error(`no eTag for ${key}`);
      return item.eTag;
    }

    describe('reading', () => {
      it('when a key was never written then reading it returns nothing for it', async () => {
        const items = await storage.read(['never-written']);

        expect(items).toEqual({});
        expect('never-written' in items).toBe(false);
      });

      it('when known and unknown keys are read together then only the known ones are returned', async () => {
        await storage.write({ known: { n: 1 } });

        const items = await storage.read(['known', 'unknown']);

        expect(Object.keys(items)).toEqual(['known']);
        expect(items.known).toMatchObject({ n: 1 });
      });

      it('when an item is read then it carries a non-empty string eTag', async () => {
        await storage.write({ item: { n: 1 } });

        const item = await readOne('item');

        expect(typeof item?.eTag).toBe('string');
        expect(item?.eTag).not.toBe('');
        expect(item?.eTag).not.toBe('*');
      });

      it('when a read item is changed then the stored item is not', async () => {
        await storage.write({ item: { list: [1] } });
        const first = await readOne('item');
        (first?.list as number[]).push(2);

        expect(await readOne('item')).toMatchObject({ list: [1] });
      });
    });

    describe('empty operations', () => {
      it('when an empty list is read then the result is empty', async () => {
        await expect(storage.read([])).resolves.toEqual({});
      });

      it('when an empty object is written then nothing fails and nothing is stored', async () => {
        await expect(storage.write({})).resolves.toBeUndefined();
        expect(await storage.read(['anything'])).toEqual({});
      });

      it('when an empty list is deleted then nothing fails', async () => {
        await expect(storage.delete([])).resolves.toBeUndefined();
      });
    });

    describe('writing', () => {
      it('when nested objects, arrays and unicode are written then they read back equal', async () => {
        const value = {
          goal: 'Läsa 20 minuter varje dag 📚 — “citat” och 中文',
          nested: { deeper: { list: [1, 'två', { tre: [3, null, true] }], empty: {} } },
          numbers: [0, -1, 3.14, 1e21],
          flags: { yes: true, no: false, nothing: null },
          emptyList: [],
          emptyText: '',
        };
        await storage.write({ state: value });

        const { eTag, ...stored } = (await readOne('state')) ?? {};

        expect(stored).toEqual(value);
        expect(eTag).toEqual(expect.any(String));
      });

      it('when several keys are written in one call then each reads back with its own value', async () => {
        await storage.write({ a: { n: 'a' }, b: { n: 'b' }, c: { n: 'c' } });

        const items = await storage.read(['a', 'b', 'c']);

        expect(items.a).toMatchObject({ n: 'a' });
        expect(items.b).toMatchObject({ n: 'b' });
        expect(items.c).toMatchObject({ n: 'c' });
      });

      it('when an item is written then the caller’s object is not changed', async () => {
        const item = { n: 1, eTag: '*' };

        await storage.write({ item });

        expect(item).toEqual({ n: 1, eTag: '*' });
      });

      it('when an item is written without an eTag then it overwrites what is stored', async () => {
        await storage.write({ item: { version: 1 } });

        await storage.write({ item: { version: 2 } });

        expect(await readOne('item')).toMatchObject({ version: 2 });
      });

      it('when an item is written with eTag * then it overwrites even a newer item', async () => {
        await storage.write({ item: { version: 1 } });
        const stale = await currentETag('item');
        await storage.write({ item: { version: 2, eTag: stale } });

        await storage.write({ item: { version: 3, eTag: '*' } });

        const item = await readOne('item');
        expect(item).toMatchObject({ version: 3 });
        expect(item?.eTag).not.toBe('*');
      });

      it('when an item is written with its current eTag then it is stored and gets a fresh eTag', async () => {
        await storage.write({ item: { version: 1 } });
        const first = await currentETag('item');

        await storage.write({ item: { version: 2, eTag: first } });

        const item = await readOne('item');
        expect(item).toMatchObject({ version: 2 });
        expect(item?.eTag).not.toBe(first);
      });

      it('when an item is written several times then every write gives a new eTag', async () => {
        const seen = new Set<string>();
        await storage.write({ item: { version: 0 } });
        for (let version = 1; version <= 3; version++) {
          const eTag = await currentETag('item');
          seen.add(eTag);
          await storage.write({ item: { version, eTag } });
        }
        seen.add(await currentETag('item'));

        expect(seen.size).toBe(4);
      });

      it('when an item is written with a stale eTag then the write is rejected and the stored item is kept', async () => {
        await storage.write({ item: { version: 1 } });
        const stale = await currentETag('item');
        await storage.write({ item: { version: 2, eTag: stale } });

        await expect(storage.write({ item: { version: 3, eTag: stale } })).rejects.toThrow(Error);

        expect(await readOne('item')).toMatchObject({ version: 2 });
      });

      it('when an item is written with an eTag the storage never issued then the write is rejected', async () => {
        await storage.write({ item: { version: 1 } });

        await expect(storage.write({ item: { version: 2, eTag: 'never-issued' } })).rejects.toThrow(Error);

        expect(await readOne('item')).toMatchObject({ version: 1 });
      });

      it('when an item is written with an eTag for a key that does not exist then it is created', async () => {
        await storage.write({ made: { version: 1 } });
        const eTagOfDeleted = await currentETag('made');
        await storage.delete(['made']);

        await storage.write({ made: { version: 2, eTag: eTagOfDeleted } });
        await storage.write({ invented: { version: 1, eTag: 'never-issued' } });

        expect(await readOne('made')).toMatchObject({ version: 2 });
        expect(await readOne('invented')).toMatchObject({ version: 1 });
      });

      it('when two writers race with the same eTag then exactly one of them wins', async () => {
        await storage.write({ item: { writer: 'none' } });
        const eTag = await currentETag('item');

        const results = await Promise.allSettled([storage.write({ item: { writer: 'first', eTag } }), storage.write({ item: { writer: 'second', eTag } })]);

        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const winner = results[0]?.status === 'fulfilled' ? 'first' : 'second';
        expect(await readOne('item')).toMatchObject({ writer: winner });
      });
    });

    describe('deleting', () => {
      it('when a key is deleted then it reads as absent', async () => {
        await storage.write({ doomed: { n: 1 }, kept: { n: 2 } });

        await storage.delete(['doomed']);

        expect(Object.keys(await storage.read(['doomed', 'kept']))).toEqual(['kept']);
      });

      it('when a key that does not exist is deleted then nothing fails', async () => {
        await expect(storage.delete(['never-written', 'also-never-written'])).resolves.toBeUndefined();
      });

      it('when a key is deleted twice then nothing fails', async () => {
        await storage.write({ once: { n: 1 } });
        await storage.delete(['once']);

        await expect(storage.delete(['once'])).resolves.toBeUndefined();
      });
    });

    describe('keys', () => {
      const keys: Array<[string, string]> = [
        ['symbols', '!@#$%^&*()~/\\><,.?\';"'],
        ['symbols and backtick', '!@#$%^&*()~/\\><,.?\';"`'],
        ['slashes', 'msteams/conversations/19:abc@thread.tacv2;messageid=1/users/29:1xyz'],
        ['a leading and a trailing slash', '/a/'],
        ['backslashes', 'C:\\Users\\målbild'],
        ['hash and question mark', '#fragment?query=1&x=2'],
        ['percent signs', '100% %25 %2F %%'],
        ['single quotes', "O'Brien's ''quoted''"],
        ['unicode', 'Målbild ÅÄÖ åäö 中文 😀 👩‍👩‍👧'],
        ['control characters', 'tab\tnewline\nnul\u0000bell\u0007del\u007fnel\u0085apc\u009f'],
        ['an unpaired surrogate', 'half \ud83d pair and \ude00 other half'],
        ['spaces', '  leading and trailing  '],
        ['plus signs', 'a+b=c'],
        ['the empty string', ''],
      ];

      it.each(keys)('when a key has %s then it round-trips and can be deleted', async (_label, key) => {
        await storage.write({ [key]: { key } });

        const items = await storage.read([key]);
        expect(Object.keys(items)).toEqual([key]);
        expect(items[key]).toMatchObject({ key });

        await storage.delete([key]);
        expect(await storage.read([key])).toEqual({});
      });

      it('when keys differ only in characters that need escaping then each keeps its own value', async () => {
        const similar = ['a/b', 'a%2Fb', 'a%252Fb', 'a\\b', 'a%5Cb', 'a#b', 'a%23b', 'a?b', 'a%3Fb', 'a\u0001b', 'a%01b', 'a\ud800b', 'a%uD800b', 'ab'];
        await storage.write(Object.fromEntries(similar.map((key) => [key, { key }])));

        const items = await storage.read(similar);

        for (const key of similar) expect(items[key]).toMatchObject({ key });
      });

      it('when a key is 2,000 characters long then it round-trips', async () => {
        const key = 'lång/nyckel/'.repeat(166) + 'slut1234';
        expect(key.length).toBe(2_000);
        await storage.write({ [key]: { n: 1 } });

        expect(await readOne(key)).toMatchObject({ n: 1 });
      });

      it('when long keys share their first 1,500 characters then they stay separate', async () => {
        const prefix = '/'.repeat(1_500);
        const keys = [`${prefix}a`, `${prefix}b`, `${prefix}`, `${prefix}ab`];
        await storage.write(Object.fromEntries(keys.map((key, index) => [key, { index }])));

        const items = await storage.read(keys);

        keys.forEach((key, index) => expect(items[key]).toMatchObject({ index }));
        await storage.delete([keys[0] ?? '']);
        expect(Object.keys(await storage.read(keys))).toHaveLength(3);
      });
    });

    describe('large values', () => {
      it('when a value of 200 KiB is written then it reads back whole', async () => {
        const text = 'ö'.repeat(100 * 1024); // two bytes each in UTF-8
        await storage.write({ big: { text } });

        const item = await readOne('big');

        expect(item?.text).toBe(text);
      });

      it('when a value of about 750 KB is written with its eTag then it reads back whole', async () => {
        const rows = Array.from({ length: 6_500 }, (_, index) => ({ index, text: `rad ${index} `.padEnd(90, 'x') }));
        expect(Buffer.byteLength(JSON.stringify({ rows }))).toBeGreaterThan(745_000);
        await storage.write({ big: { rows: [] } });
        const eTag = await currentETag('big');

        await storage.write({ big: { rows, eTag } });

        const item = await readOne('big');
        expect(item?.rows).toEqual(rows);
        expect(item?.eTag).not.toBe(eTag);
      });
    });
  });
}
