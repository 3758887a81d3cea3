import { randomBytes } from 'node:crypto';

/** The connection string of the Azurite that the jest global setup started. */
export function azuriteConnectionString(): string {
  const value = process.env.TEST_AZURITE_CONNECTION_STRING;
  if (!value) throw new Error('TEST_AZURITE_CONNECTION_STRING is not set: run the tests through jest (npm test).');
  return value;
}

/** A table prefix of letters only, unique to one test, so tests never share rows. */
export function uniqueTablePrefix(label = 't'): string {
  const letters = randomBytes(6)
    .toString('hex')
    .replace(/[0-9]/g, (d) => String.fromCharCode(97 + Number(d)));
  return `${label.replace(/[^A-Za-z]/g, '')}${letters}`.slice(0, 20);
}
