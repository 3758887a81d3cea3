import { startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';

/**
 * Starts one in-memory Azurite table service for the whole test run and hands
 * its connection string to the test files through the environment. Each test
 * file uses its own table prefix, so files never see each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  const azurite = await startEmbeddedAzurite();
  process.env.TEST_AZURITE_CONNECTION_STRING = azurite.connectionString;
  (globalThis as { __AZURITE__?: unknown }).__AZURITE__ = azurite;
}
