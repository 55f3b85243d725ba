/**
 * The contract's limit on a message's text, and on Query.translate's: 4000 characters as a person
 * counts them (code points, so an emoji is one). Every service that checks a text uses this.
 */
export const MAX_TEXT_CHARACTERS = 4000;

/** Length in Unicode code points, so an emoji counts as one character as a person would count it. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
