import type { EmbeddedAzurite } from '../../src/storage/embeddedAzurite';

export default async function globalTeardown(): Promise<void> {
  const azurite = (globalThis as { __AZURITE__?: EmbeddedAzurite }).__AZURITE__;
  await azurite?.stop();
}
