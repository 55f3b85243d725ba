import { isSupportedLanguage, type Logger } from '@parley/common';
import { detectLanguage } from '@parley/common/detect-language';
import type { UsersDirectory } from '../users/users-directory';

/** Last resort when neither the text nor the sender's profile names a supported language. */
const FALLBACK_LANGUAGE = 'en';

/**
 * The language a message was written in when the client did not say: detected from the text,
 * else (emoji, digits) the sender's systemLanguage, the best guess of what they write in.
 */
export async function originalLanguageOf(
  content: string,
  senderId: string,
  users: UsersDirectory,
  logger: Logger,
): Promise<string> {
  const detected = detectLanguage(content);
  if (detected) return detected.language;
  try {
    const systemLanguage = await users.systemLanguage(senderId, senderId);
    if (systemLanguage && isSupportedLanguage(systemLanguage)) return systemLanguage;
  } catch (error) {
    // A guess about emoji is not worth failing the send over while the users subgraph is away.
    logger.warn({ err: error, senderId }, 'could not read the sender systemLanguage; using the fallback language');
  }
  return FALLBACK_LANGUAGE;
}
