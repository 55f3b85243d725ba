import { BadUserInputError, codePointLength, isSupportedLanguage, MAX_TEXT_CHARACTERS } from '@parley/common';

export const MAX_CLIENT_MESSAGE_ID_LENGTH = 200;

// PostgreSQL text cannot hold NUL; refusing it here keeps it a user error rather than a failed insert.
const hasNul = (text: string): boolean => text.includes('\u0000');

/** The content as stored: trimmed, not empty, at most MAX_TEXT_CHARACTERS characters. */
export function normalizeContent(content: string, field: string): string {
  const trimmed = content.trim();
  if (trimmed.length === 0) throw new BadUserInputError('A message cannot be empty', field);
  if (codePointLength(trimmed) > MAX_TEXT_CHARACTERS) {
    throw new BadUserInputError(`A message has at most ${MAX_TEXT_CHARACTERS} characters`, field);
  }
  if (hasNul(trimmed)) throw new BadUserInputError('A message cannot contain NUL characters', field);
  return trimmed;
}

/** The idempotency key exactly as the client sent it (it is compared, never shown). */
export function checkClientMessageId(clientMessageId: string, field: string): string {
  if (clientMessageId.trim().length === 0) throw new BadUserInputError('clientMessageId cannot be empty', field);
  if (codePointLength(clientMessageId) > MAX_CLIENT_MESSAGE_ID_LENGTH) {
    throw new BadUserInputError(`clientMessageId has at most ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters`, field);
  }
  if (hasNul(clientMessageId)) throw new BadUserInputError('clientMessageId cannot contain NUL characters', field);
  return clientMessageId;
}

export function checkLanguage(code: string, field: string): string {
  if (!isSupportedLanguage(code)) throw new BadUserInputError(`Unsupported language: ${code}`, field);
  return code;
}

/** A page size argument within [min, max]. */
export function checkPageSize(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(`${field} must be between ${min} and ${max}`, field);
  }
  return value;
}
