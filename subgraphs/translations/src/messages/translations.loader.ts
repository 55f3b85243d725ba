import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { MessageTranslationEntity } from '../store';

export interface MessageVersionKey {
  messageId: string;
  version: number;
}

export type TranslationsLoader = DataLoader<MessageVersionKey, MessageTranslationEntity[], string>;

/**
 * Every stored row (TRANSLATED and FAILED) of many (message, version) pairs in one query, shared
 * by `text` and `translations`, so a page of messages costs one SELECT whatever its size.
 */
export function createTranslationsLoader(em: EntityManager): TranslationsLoader {
  return new DataLoader<MessageVersionKey, MessageTranslationEntity[], string>(
    async (keys) => {
      const rows = await em.find(
        MessageTranslationEntity,
        { $or: keys.map((key) => ({ messageId: key.messageId, messageVersion: key.version })) },
        { orderBy: { targetLanguage: 'asc' } },
      );
      const byKey = new Map<string, MessageTranslationEntity[]>();
      for (const row of rows) {
        const key = cacheKey({ messageId: row.messageId, version: row.messageVersion });
        const list = byKey.get(key) ?? [];
        list.push(row);
        byKey.set(key, list);
      }
      return keys.map((key) => byKey.get(cacheKey(key)) ?? []);
    },
    { cacheKeyFn: cacheKey },
  );
}

const cacheKey = (key: MessageVersionKey): string => `${key.messageId}:${key.version}`;
