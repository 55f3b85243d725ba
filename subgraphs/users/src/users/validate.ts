import { BadUserInputError, codePointLength, hasNul, isSupportedLanguage, quoted, wellFormed } from '@parley/common';

// Deliberately simple: one @, no spaces or control characters, a dot in the domain, and the
// lengths SMTP allows (RFC 5321: 64 for the local part, 254 in all). Deliverability is the mailer's job.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@.\p{Cc}]+(\.[^\s@.\p{Cc}]+)+$/u;
const MAX_EMAIL_LENGTH = 254;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_DISPLAY_NAME_LENGTH = 100;

export function normalizeEmail(email: string, field = 'email'): string {
  const normalized = wellFormed(email).trim().toLowerCase();
  if (normalized.length > MAX_EMAIL_LENGTH || !EMAIL.test(normalized))
    throw new BadUserInputError('Not a valid email address', field);
  return normalized;
}

/** Lengths in characters as a person counts them (code points: an emoji is one). */
export function checkPassword(password: string, field = 'password'): void {
  const length = codePointLength(password);
  if (length < MIN_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, field);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at most ${MAX_PASSWORD_LENGTH} characters`, field);
  }
}

export function normalizeDisplayName(name: string, field = 'displayName'): string {
  const trimmed = wellFormed(name).trim();
  if (!trimmed) throw new BadUserInputError('Display name must not be empty', field);
  if (hasNul(trimmed)) throw new BadUserInputError('Display name cannot contain NUL characters', field);
  if (codePointLength(trimmed) > MAX_DISPLAY_NAME_LENGTH) {
    throw new BadUserInputError(`Display name must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`, field);
  }
  return trimmed;
}

export function checkLanguage(code: string, field: string): string {
  if (!isSupportedLanguage(code)) throw new BadUserInputError(`Unsupported language code: ${quoted(code)}`, field);
  return code;
}
