import { BadUserInputError, isSupportedLanguage } from '@parley/common';

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mailer's job.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_DISPLAY_NAME_LENGTH = 100;

export function normalizeEmail(email: string, field = 'email'): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 320 || !EMAIL.test(normalized))
    throw new BadUserInputError('Not a valid email address', field);
  return normalized;
}

export function checkPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at most ${MAX_PASSWORD_LENGTH} characters`, field);
  }
}

export function normalizeDisplayName(name: string, field = 'displayName'): string {
  const trimmed = name.trim();
  if (!trimmed) throw new BadUserInputError('Display name must not be empty', field);
  if (trimmed.length > MAX_DISPLAY_NAME_LENGTH) {
    throw new BadUserInputError(`Display name must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`, field);
  }
  return trimmed;
}

export function checkLanguage(code: string, field: string): string {
  if (!isSupportedLanguage(code)) throw new BadUserInputError(`Unsupported language code: ${code}`, field);
  return code;
}
