import { createLogger, ensureDatabase, migrate } from '@parley/common';
import { loadUsersConfig } from '../config';
import { createUsersOrm, USERS_DB_SCHEMA } from '../orm';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';

it('committed migrations produce exactly the schema the entities describe, in the users schema only', async () => {
  const config = loadUsersConfig({ DATABASE_URL, NODE_ENV: 'test' });
  const logger = createLogger('test', 'silent');
  await ensureDatabase(DATABASE_URL);
  const orm = await createUsersOrm(config, logger);
  try {
    await migrate(orm, DATABASE_URL, USERS_DB_SCHEMA, logger);
    expect(await orm.schema.getUpdateSchemaSQL({ wrap: false, schema: USERS_DB_SCHEMA })).toBe('');
    const outside = await orm.em
      .getConnection()
      .execute(
        `select table_schema, table_name from information_schema.tables where table_name in ('user_account') and table_schema <> 'users'`,
      );
    expect(outside).toEqual([]);
  } finally {
    await orm.close();
  }
});
