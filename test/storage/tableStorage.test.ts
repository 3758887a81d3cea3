import { TableClient } from '@azure/data-tables';
import { MemoryStorage, type Storage } from 'botbuilder';
import {
  MAX_TURN_STATE_KEY_LENGTH,
  MAX_TURN_STATE_VALUE_BYTES,
  TableTurnStateStorage,
  TurnStateStorageError,
  partitionKeyFor,
} from '../../src/storage/tableStorage';
import { escapeKey } from '../../src/storage/tableKeys';
import { azuriteConnectionString, uniqueTablePrefix } from '../helpers/azurite';
import { runStorageContract } from './storageContract';

function newTableClient(): TableClient {
  return TableClient.fromConnectionString(azuriteConnectionString(), uniqueTablePrefix('turn'), {
    allowInsecureConnection: true,
  });
}

function newStorage(): TableTurnStateStorage {
  return new TableTurnStateStorage({ connectionString: azuriteConnectionString(), tableName: uniqueTablePrefix('turn') });
}

/** A value whose JSON, `{"text":"…"}`, is exactly `bytes` long. */
function valueOfJsonBytes(bytes: number): { text: string } {
  const value = { text: 'x'.repeat(bytes - '{"text":""}'.length) };
  expect(Buffer.byteLength(JSON.stringify(value))).toBe(bytes);
  return value;
}

async function rejectionOf(promise: Promise<unknown>): Promise<TurnStateStorageError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TurnStateStorageError);
  return error as TurnStateStorageError;
}

runStorageContract('TableTurnStateStorage on Azurite', newStorage);
runStorageContract('botbuilder MemoryStorage', () => new MemoryStorage());

describe('TableTurnStateStorage', () => {
  it('when it is assigned to a botbuilder Storage then it type-checks and works through that type', async () => {
    const storage: Storage = newStorage();

    await storage.write({ key: { n: 1 } });

    expect(await storage.read(['key'])).toMatchObject({ key: { n: 1, eTag: expect.any(String) } });
  });

  describe('table creation', () => {
    it('when the first calls race then the table is created once', async () => {
      const client = newTableClient();
      const createTable = jest.spyOn(client, 'createTable');
      const storage = new TableTurnStateStorage(client);

      await Promise.all([storage.read(['a']), storage.write({ b: { n: 1 } }), storage.delete(['c']), storage.read(['b']), storage.write({ d: { n: 2 } })]);
      await storage.read(['b']);

      expect(createTable).toHaveBeenCalledTimes(1);
    });

    it('when the table already exists then a new instance uses it', async () => {
      const tableName = uniqueTablePrefix('turn');
      const first = new TableTurnStateStorage({ connectionString: azuriteConnectionString(), tableName });
      await first.write({ kept: { n: 1 } });

      const second = new TableTurnStateStorage({ connectionString: azuriteConnectionString(), tableName });

      expect(await second.read(['kept'])).toMatchObject({ kept: { n: 1 } });
    });

    it('when only empty operations run then no table is needed', async () => {
      const client = newTableClient();
      const createTable = jest.spyOn(client, 'createTable');
      const storage = new TableTurnStateStorage(client);

      await storage.read([]);
      await storage.write({});
      await storage.delete([]);

      expect(createTable).not.toHaveBeenCalled();
    });
  });

  describe('eTags', () => {
    it('when an item is written with a stale eTag then the error has code ETAG_CONFLICT', async () => {
      const storage = newStorage();
      await storage.write({ item: { version: 1 } });
      const { item } = await storage.read(['item']);
      await storage.write({ item: { version: 2, eTag: item.eTag } });

      const error = await rejectionOf(storage.write({ item: { version: 3, eTag: item.eTag } }));

      expect(error.code).toBe('ETAG_CONFLICT');
      expect(error.message).toContain('"item"');
    });

    it('when an item is written with a made-up eTag for an existing key then the error has code ETAG_CONFLICT', async () => {
      const storage = newStorage();
      await storage.write({ item: { version: 1 } });

      const error = await rejectionOf(storage.write({ item: { version: 2, eTag: '"1"' } }));

      expect(error.code).toBe('ETAG_CONFLICT');
    });

    it('when an item is written with an eTag then the stored entity holds no eTag of its own', async () => {
      const client = newTableClient();
      const storage = new TableTurnStateStorage(client);
      await storage.write({ item: { n: 1, eTag: '*' } });
      const { item } = await storage.read(['item']);
      await storage.write({ item: { ...item, n: 2 } });

      const entity = await client.getEntity<{ value0: Uint8Array }>('item', '');
      const stored: unknown = JSON.parse(Buffer.from(entity.value0).toString('utf8'));

      expect(stored).toEqual({ n: 2 });
      expect((await storage.read(['item'])).item.eTag).toBe(entity.etag);
    });
  });

  describe('size limits', () => {
    it('when a value is exactly the limit and its key the longest allowed then it round-trips', async () => {
      // Unpaired surrogates escape to six characters each: the largest stored key there is.
      const key = '\ud800'.repeat(MAX_TURN_STATE_KEY_LENGTH);
      const value = valueOfJsonBytes(MAX_TURN_STATE_VALUE_BYTES);
      const storage = newStorage();

      await storage.write({ [key]: value });

      expect((await storage.read([key]))[key]).toMatchObject(value);
    });

    it('when a value is one byte over the limit then VALUE_TOO_LARGE is thrown and nothing is written', async () => {
      expect(MAX_TURN_STATE_VALUE_BYTES).toBe(768_000);
      const storage = newStorage();
      await storage.write({ existing: { version: 1 } });

      const error = await rejectionOf(
        storage.write({
          existing: { version: 2 },
          newcomer: { n: 1 },
          huge: valueOfJsonBytes(MAX_TURN_STATE_VALUE_BYTES + 1),
        }),
      );

      expect(error.code).toBe('VALUE_TOO_LARGE');
      expect(error.message).toContain('"huge"');
      expect(error.message).toContain('768001 bytes');
      expect(error.message).toContain('768000 bytes');
      const items = await storage.read(['existing', 'newcomer', 'huge']);
      expect(Object.keys(items)).toEqual(['existing']);
      expect(items.existing).toMatchObject({ version: 1 });
    });

    it('when a value is far beyond the limit then VALUE_TOO_LARGE is thrown', async () => {
      const storage = newStorage();

      const error = await rejectionOf(storage.write({ huge: { text: 'å'.repeat(1_000_000) } }));

      expect(error.code).toBe('VALUE_TOO_LARGE');
      expect(await storage.read(['huge'])).toEqual({});
    });

    it('when a key is longer than the limit then KEY_TOO_LONG is thrown and nothing is written', async () => {
      const storage = newStorage();
      const key = 'k'.repeat(MAX_TURN_STATE_KEY_LENGTH + 1);

      const error = await rejectionOf(storage.write({ fine: { n: 1 }, [key]: { n: 2 } }));

      expect(error.code).toBe('KEY_TOO_LONG');
      expect(await storage.read(['fine'])).toEqual({});
    });
  });

  describe('key scheme', () => {
    it.each([
      ['%', '%25'],
      ['/', '%2F'],
      ['\\', '%5C'],
      ['#', '%23'],
      ['?', '%3F'],
      ['\u0000', '%00'],
      ['\u001f', '%1F'],
      ['\u007f', '%7F'],
      ['\u009f', '%9F'],
      ['\ud83d', '%uD83D'],
      ['\ude00', '%uDE00'],
      ['😀', '😀'],
      ['a b+c:\'"!', 'a b+c:\'"!'],
    ])('when %j is escaped then it becomes %j', (key, escaped) => {
      expect(escapeKey(key)).toBe(escaped);
    });

    it('when the crazy key is escaped then nothing Table Storage forbids is left', () => {
      const escaped = escapeKey('!@#$%^&*()~/\\><,.?\';"\u0001\u0085');

      expect(escaped).toBe('!@%23$%25^&*()~%2F%5C><,.%3F\';"%01%85');
      // eslint-disable-next-line no-control-regex -- checking for exactly the forbidden characters
      expect(escaped).not.toMatch(/[/\\#?\u0000-\u001f\u007f-\u009f]/);
    });

    it('when an escaped key is longer than 512 characters then the PartitionKey is a prefix and its SHA-256', () => {
      const escaped = escapeKey('/'.repeat(300));

      const partitionKey = partitionKeyFor(escaped);

      expect(escaped).toHaveLength(900);
      expect(partitionKey).toMatch(/^(%2F)+%2?%?~[0-9a-f]{64}$/);
      expect(partitionKey.length).toBeLessThanOrEqual(512);
      expect(partitionKeyFor(escapeKey('a'.repeat(512)))).toBe('a'.repeat(512));
    });

    it('when a long key is stored then its escaped key is kept and checked on read', async () => {
      const client = newTableClient();
      const storage = new TableTurnStateStorage(client);
      const key = `lång/${'x'.repeat(1_000)}`;
      const partitionKey = partitionKeyFor(escapeKey(key));
      await storage.write({ [key]: { n: 1 } });

      const entity = await client.getEntity<{ key: string }>(partitionKey, '');
      expect(entity.key).toBe(escapeKey(key));

      // Another key with the same hash would find this entity: it must read as absent.
      await client.updateEntity({ partitionKey, rowKey: '', key: escapeKey(`${key}-other`) }, 'Merge');
      expect(await storage.read([key])).toEqual({});
    });

    it('when a stored entity is damaged then reading it fails with CORRUPT_ITEM', async () => {
      const client = newTableClient();
      const storage = new TableTurnStateStorage(client);
      await storage.write({ item: { n: 1 } });
      await client.updateEntity({ partitionKey: 'item', rowKey: '', parts: 2 }, 'Merge');

      const error = await rejectionOf(storage.read(['item']));

      expect(error.code).toBe('CORRUPT_ITEM');
    });
  });
});
