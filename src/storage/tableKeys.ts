/**
 * Azure Table keys may not contain / \ # ? or control characters
 * (U+0000–U+001F, U+007F–U+009F). Teams ids do (e.g. "19:abc@thread.tacv2"
 * is fine, but channel keys and turn-state keys carry "/"), so every key is
 * escaped reversibly: "%" itself first, then each forbidden character, as %XX.
 */
const FORBIDDEN = /[%/\\#?\u0000-\u001f\u007f-\u009f]/g;

export function escapeKey(key: string): string {
  return key.replace(FORBIDDEN, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function unescapeKey(escaped: string): string {
  return escaped.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
