import { ApolloServer, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { verifyRequest, type SignedIdentity } from '../auth/router-signature';
import { readRouterExtensions, type RouterExtensions } from '../realtime/router-extensions';
import { ErrorCode } from '../errors/errors';
import { maskError } from '../errors/mask-error';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  signingSecret: string;
  host: string;
  port: number;
  logger: Logger;
  /**
   * Builds the per-request context (EntityManager fork, DataLoaders) from the verified identity and
   * the router's signed extensions (subscription step, viewer language).
   */
  context: (identity: SignedIdentity, router: RouterExtensions) => Promise<TContext> | TContext;
  /** Extra readiness probe (database reachable, ...). */
  ready?: () => Promise<void>;
  maxBodyBytes?: number;
}

export interface RunningSubgraph {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/**
 * A subgraph over HTTP that serves only requests the router signed: without a valid signature it
 * answers 401 and runs nothing, so reaching a subgraph directly yields no data.
 */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningSubgraph> {
  const { logger } = options;
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    // The service's own onShutdown drains and stops it; Apollo re-raising the signal would cut that short.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) =>
      maskError(formatted, () => logger.error({ err: error, path: formatted.path }, 'resolver failed')),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', async (_req, res) => {
    try {
      await options.ready?.();
      res.json({ status: 'ready', service: options.name });
    } catch (error) {
      logger.warn({ err: error }, 'not ready');
      res.status(503).json({ status: 'unavailable', service: options.name });
    }
  });

  const identities = new WeakMap<express.Request, { identity: SignedIdentity; router: RouterExtensions }>();
  app.post(
    '/graphql',
    express.raw({ type: () => true, limit: options.maxBodyBytes ?? 1_000_000 }),
    (req, res, next) => {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyRequest(options.signingSecret, req.headers, body);
      if (!check.ok) {
        logger.warn({ reason: check.reason, remote: req.socket.remoteAddress }, 'rejected unsigned request');
        res.status(401).json({
          errors: [
            { message: 'Requests must come through the router', extensions: { code: ErrorCode.UNAUTHENTICATED } },
          ],
        });
        return;
      }
      try {
        req.body = JSON.parse(body.toString('utf8'));
      } catch {
        res.status(400).json({ errors: [{ message: 'Body is not JSON', extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
      identities.set(req, { identity: check.identity, router: readRouterExtensions(req.body) });
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const verified = identities.get(req) ?? { identity: { userId: '', clientIp: '' }, router: {} };
        return options.context(verified.identity, verified.router);
      },
    }),
  );

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, `${options.name} subgraph listening`);

  return {
    url,
    server,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
