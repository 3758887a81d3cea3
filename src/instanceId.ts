import { randomBytes } from 'node:crypto';

/**
 * Who holds a lease or a claim: `<instance>|<boot>`.
 *
 * The instance part is stable across restarts of the same machine (App
 * Service's WEBSITE_INSTANCE_ID, a configured INSTANCE_ID, else the host
 * name); the boot part is new for every start of the process. A holder with
 * this instance's part and another boot part is a previous life of this
 * instance: it is dead (a process does not outlive its own restart), so
 * what it held may be taken back at once instead of after its expiry.
 * Another instance's leases and claims still wait for their expiry.
 *
 * Two processes running at the same time must therefore never share an
 * instance part: on one host, give each its own INSTANCE_ID.
 */

const SEPARATOR = '|';
/** The character after SEPARATOR: every owner of one instance sorts in [`<instance>|`, `<instance>}`). */
const AFTER_SEPARATOR = String.fromCharCode(SEPARATOR.charCodeAt(0) + 1);

/** The holder id of this process: the stable instance id and a fresh boot id. */
export function processOwnerId(instanceId: string, bootId: string = randomBytes(4).toString('hex')): string {
  return `${instanceId}${SEPARATOR}${bootId}`;
}

/** The stable part of a holder id, or undefined for a holder id without one (a random or hand-written id). */
export function instancePartOf(owner: string): string | undefined {
  const at = owner.lastIndexOf(SEPARATOR);
  return at > 0 ? owner.slice(0, at) : undefined;
}

/** True when `owner` is an earlier start of the same instance as `self` (same instance part, other boot). */
export function isPreviousLife(owner: string, self: string): boolean {
  const instance = instancePartOf(self);
  return instance !== undefined && owner !== self && instancePartOf(owner) === instance;
}

/** The range of holder ids of `self`'s instance, for a range query: [from, to). Undefined when `self` has no instance part. */
export function ownerRangeOf(self: string): { from: string; to: string } | undefined {
  const instance = instancePartOf(self);
  return instance === undefined ? undefined : { from: `${instance}${SEPARATOR}`, to: `${instance}${AFTER_SEPARATOR}` };
}
