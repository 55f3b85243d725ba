/** An unpaired UTF-16 surrogate: half of a character, with nothing to pair it with. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text as it can be stored and sent on: each unpaired surrogate replaced by U+FFFD, as a UTF-8
 * encoder does anyway (String.prototype.toWellFormed). Done before a text is stored, compared or
 * echoed, so the client reads back what was stored, and a JSON event carrying it is one that
 * PostgreSQL's jsonb accepts (it refuses an escaped lone surrogate, which failed the whole send).
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** PostgreSQL's text and jsonb cannot hold NUL: a text with one is refused as bad input. */
export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/** A user-supplied value named in an error message, cut short: the message must not echo a whole payload. */
export function quoted(value: string, max = 32): string {
  const chars = Array.from(value);
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join('')}…` : value);
}
