import { createOrm, type Logger } from '@parley/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MessageStateSchema } from './message-state.entity';
import { MessageTranslationSchema } from './message-translation.entity';
import { migrations } from './migrations';

/**
 * The translations schema belongs to the translation service: the translator writes it, the
 * translations subgraph reads it. Both apply these migrations at start (under the advisory lock).
 */
export const TRANSLATIONS_DB_SCHEMA = 'translations';

export interface TranslationsOrmOptions {
  databaseUrl: string;
  logger: Logger;
  onQuery?: (sql: string) => void;
  poolMax?: number;
}

export const createTranslationsOrm = (options: TranslationsOrmOptions): Promise<MikroORM> =>
  createOrm({
    databaseUrl: options.databaseUrl,
    schema: TRANSLATIONS_DB_SCHEMA,
    entities: [MessageTranslationSchema, MessageStateSchema],
    migrations,
    logger: options.logger,
    onQuery: options.onQuery,
    poolMax: options.poolMax,
  });
