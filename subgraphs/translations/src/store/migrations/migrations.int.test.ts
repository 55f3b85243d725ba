import { createLogger, ensureDatabase, migrate } from '@parley/common';
import { createTranslationsOrm, TRANSLATIONS_DB_SCHEMA } from '../orm';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';

it('committed migrations produce exactly the schema the entities describe, in the translations schema only', async () => {
  const logger = createLogger('test', 'silent');
  await ensureDatabase(DATABASE_URL);
  const orm = await createTranslationsOrm({ databaseUrl: DATABASE_URL, logger });
  try {
    await migrate(orm, DATABASE_URL, TRANSLATIONS_DB_SCHEMA, logger);
    expect(await orm.schema.getUpdateSchemaSQL({ wrap: false, schema: TRANSLATIONS_DB_SCHEMA })).toBe('');
    const outside = await orm.em
      .getConnection()
      .execute(
        `select table_schema, table_name from information_schema.tables where table_name in ('message_translation', 'message_state') and table_schema <> 'translations'`,
      );
    expect(outside).toEqual([]);
  } finally {
    await orm.close();
  }
});
