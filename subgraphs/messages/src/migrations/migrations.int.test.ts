import { createLogger, ensureDatabase, migrate } from '@parley/common';
import { loadMessagesConfig } from '../config';
import { createMessagesOrm, MESSAGES_DB_SCHEMA } from '../orm';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';

it('committed migrations produce exactly the schema the entities describe, in the messages schema only', async () => {
  const config = loadMessagesConfig({ DATABASE_URL, NODE_ENV: 'test' });
  const logger = createLogger('test', 'silent');
  await ensureDatabase(DATABASE_URL);
  const orm = await createMessagesOrm(config, logger);
  try {
    await migrate(orm, DATABASE_URL, MESSAGES_DB_SCHEMA, logger);
    expect(await orm.schema.getUpdateSchemaSQL({ wrap: false, schema: MESSAGES_DB_SCHEMA })).toBe('');
    const outside = await orm.em
      .getConnection()
      .execute(
        `select table_schema, table_name from information_schema.tables where table_name in ('message', 'conversation_counter', 'outbox') and table_schema <> 'messages'`,
      );
    expect(outside).toEqual([]);
  } finally {
    await orm.close();
  }
});
