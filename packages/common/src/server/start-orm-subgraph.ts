import type { BaseContext } from '@apollo/server';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { SignedIdentity } from '../auth/router-signature';
import type { RouterExtensions } from '../realtime/router-extensions';
import { ensureDatabase } from '../db/ensure-database';
import { migrate } from '../db/create-orm';
import { startSubgraphServer, type RunningSubgraph } from './subgraph-server';

export interface OrmSubgraphOptions<TContext extends BaseContext> {
  name: string;
  /** The PostgreSQL schema the subgraph owns. */
  dbSchema: string;
  databaseUrl: string;
  host: string;
  port: number;
  signingSecret: string;
  logger: Logger;
  createOrm: () => Promise<MikroORM>;
  buildSchema: () => Promise<GraphQLSchema>;
  /** Per-request context from the verified identity, a fresh EntityManager fork and the router's extensions. */
  context: (identity: SignedIdentity, em: EntityManager, router: RouterExtensions) => TContext;
  /** Largest request body read (SUBGRAPH_MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Closes what the subgraph opened besides the server and the ORM. */
  onStop?: () => Promise<void> | void;
}

/**
 * The start-up every database-backed subgraph shares: create the database if needed, apply its
 * migrations, serve signed requests with an EntityManager fork per request; stop in reverse.
 */
export async function startOrmSubgraph<TContext extends BaseContext>(
  options: OrmSubgraphOptions<TContext>,
): Promise<RunningSubgraph> {
  await ensureDatabase(options.databaseUrl);
  const orm = await options.createOrm();
  try {
    await migrate(orm, options.databaseUrl, options.dbSchema, options.logger);
    const server = await startSubgraphServer<TContext>({
      name: options.name,
      schema: await options.buildSchema(),
      signingSecret: options.signingSecret,
      host: options.host,
      port: options.port,
      logger: options.logger,
      maxBodyBytes: options.maxBodyBytes,
      context: (identity, router) => options.context(identity, orm.em.fork(), router),
      ready: async () => {
        await orm.em.getConnection().execute('select 1');
      },
    });
    return {
      ...server,
      async stop() {
        await server.stop();
        await options.onStop?.();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}
