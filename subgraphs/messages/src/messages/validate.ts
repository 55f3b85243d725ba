import {
  BadUserInputError,
  codePointLength,
  hasNul,
  isSupportedLanguage,
  MAX_TEXT_CHARACTERS,
  quoted,
  wellFormed,
} from '@parley/common';

export const MAX_CLIENT_MESSAGE_ID_LENGTH = 200;

/**
 * The content as stored: well-formed (storable-text.ts), trimmed, not empty, at most
 * MAX_TEXT_CHARACTERS characters, without NUL (a user error here rather than a failed insert).
 */
export function normalizeContent(content: string, field: string): string {
  const trimmed = wellFormed(content).trim();
  if (trimmed.length === 0) throw new BadUserInputError('A message cannot be empty', field);
  if (codePointLength(trimmed) > MAX_TEXT_CHARACTERS) {
    throw new BadUserInputError(`A message has at most ${MAX_TEXT_CHARACTERS} characters`, field);
  }
  if (hasNul(trimmed)) throw new BadUserInputError('A message cannot contain NUL characters', field);
  return trimmed;
}

/** The idempotency key as the client sent it, made well-formed as it is stored and compared. */
export function checkClientMessageId(sent: string, field: string): string {
  const clientMessageId = wellFormed(sent);
  if (clientMessageId.trim().length === 0) throw new BadUserInputError('clientMessageId cannot be empty', field);
  if (codePointLength(clientMessageId) > MAX_CLIENT_MESSAGE_ID_LENGTH) {
    throw new BadUserInputError(`clientMessageId has at most ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters`, field);
  }
  if (hasNul(clientMessageId)) throw new BadUserInputError('clientMessageId cannot contain NUL characters', field);
  return clientMessageId;
}

export function checkLanguage(code: string, field: string): string {
  if (!isSupportedLanguage(code)) throw new BadUserInputError(`Unsupported language: ${quoted(code)}`, field);
  return code;
}

/** A page size argument within [min, max]. */
export function checkPageSize(value: number, min: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(`${field} must be between ${min} and ${max}`, field);
  }
  return value;
}
