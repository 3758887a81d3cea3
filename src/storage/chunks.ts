/**
 * Large values in one entity: UTF-8 JSON split over binary properties
 * (`<name>0`, `<name>1`, …). A string property holds only 32 K UTF-16
 * characters, a binary one 64 KiB; keeping the parts in one entity keeps a
 * write of the whole value one request, atomic and checked against the
 * entity's ETag.
 */

/** Bytes of one binary property: Table Storage allows 64 KiB. */
export const PART_BYTES = 64_000;

/** The value's JSON as binary properties named `<name>0…`: always at least one part, even for no bytes. */
export function splitIntoParts(name: string, json: Buffer): { parts: Record<string, Uint8Array>; count: number } {
  const parts: Record<string, Uint8Array> = {};
  let count = 0;
  for (let offset = 0; offset < json.length || count === 0; offset += PART_BYTES) {
    parts[`${name}${count}`] = new Uint8Array(json.subarray(offset, offset + PART_BYTES));
    count += 1;
  }
  return { parts, count };
}

/** The bytes of `count` parts named `<name>0…` of an entity; `missing(index)` is thrown for a part that is not there. */
export function joinParts(name: string, entity: Record<string, unknown>, count: number, missing: (index: number) => Error): Buffer {
  const parts: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const part = entity[`${name}${index}`];
    if (!(part instanceof Uint8Array)) throw missing(index);
    parts.push(part);
  }
  return Buffer.concat(parts);
}
