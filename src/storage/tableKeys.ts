/**
 * Azure Table keys may not contain / \ # ? or control characters
 * (U+0000–U+001F, U+007F–U+009F); Teams ids and turn-state keys can. Every
 * key is escaped in one pass: `%` itself as `%25`, each forbidden character
 * as `%XX`, and unpaired surrogates (which a URL cannot carry) as `%uXXXX`.
 * Every escape starts with `%` and has a fixed length, so the escape is
 * reversible and two different keys never escape to the same string.
 */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what Table keys forbid
const CHARACTERS_TO_ESCAPE = /[%/\\#?\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeKey(key: string): string {
  return key.replace(CHARACTERS_TO_ESCAPE, (character) => {
    const code = character.charCodeAt(0);
    const hex = code.toString(16).toUpperCase();
    return code <= 0xff ? `%${hex.padStart(2, '0')}` : `%u${hex.padStart(4, '0')}`;
  });
}
