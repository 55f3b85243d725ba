import pg from 'pg';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { MikroORM, type AnyEntity, type EntityClass, type EntitySchema } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

export interface OrmOptions {
  databaseUrl: string;
  /** The PostgreSQL schema this service owns; it never writes outside it. */
  schema: string;
  entities: Array<EntitySchema<any, any> | EntityClass<AnyEntity>>;
  migrations: Array<{ name: string; class: new (...args: any[]) => Migration }>;
  logger: Logger;
  /** Pool size per process. */
  poolMax?: number;
  /** Called with each SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax ?? 10 },
    allowGlobalContext: false,
    debug: options.onQuery ? ['query'] : false,
    colors: false,
    logger: (message) => {
      if (options.onQuery) options.onQuery(message);
      else options.logger.debug({ orm: message });
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: options.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}

/**
 * Applies the committed migrations of this service's schema, logging each one. Replicas starting
 * together queue on a PostgreSQL advisory lock, so each migration runs once.
 */
export async function migrate(orm: MikroORM, databaseUrl: string, schema: string, logger: Logger): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`parley:migrate:${schema}`]);
    return await migrateLocked(orm, schema, logger);
  } finally {
    await lock.end();
  }
}

async function migrateLocked(orm: MikroORM, schema: string, logger: Logger): Promise<string[]> {
  await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
  const migrator = orm.migrator;
  const pending = await migrator.getPending();
  if (pending.length === 0) {
    logger.info({ schema }, 'database schema up to date');
    return [];
  }
  logger.info({ schema, pending: pending.map((m) => m.name) }, `applying ${pending.length} migration(s)`);
  const applied = await migrator.up();
  logger.info({ schema, applied: applied.map((m) => m.name) }, 'migrations applied');
  return applied.map((m) => m.name);
}
