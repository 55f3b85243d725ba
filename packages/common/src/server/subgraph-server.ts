import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { verifyRequest, type SignedIdentity } from '../auth/router-signature';
import { readRouterExtensions, type RouterExtensions } from '../realtime/router-extensions';
import { DEFAULT_SUBGRAPH_MAX_BODY_BYTES } from '../config/common-env';
import { ErrorCode, REQUEST_ERROR_CODE } from '../errors/errors';
import { maskError } from '../errors/mask-error';
import { isPostTo, serveApolloRequest } from './apollo-http-handler';
import { failRequest, graphqlErrorHandler, sendGraphqlError } from './graphql-error-response';
import { hasIdentityEncoding, readRequestBody } from './request-body';

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
  /** Largest request body read; DEFAULT_SUBGRAPH_MAX_BODY_BYTES by default. */
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
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_SUBGRAPH_MAX_BODY_BYTES;
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    // The service's own onShutdown drains and stops it; Apollo re-raising the signal would cut that short.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // Nothing here sets cache hints and the router treats a missing Cache-Control as the
      // `no-store` this plugin would send; enabled, it wraps every field resolver to track hints.
      ApolloServerPluginCacheControlDisabled(),
    ],
    formatError: (formatted, error) =>
      maskError(formatted, () => logger.error({ err: error, path: formatted.path }, 'resolver failed')),
  });
  await apollo.start();

  /** Runs a request only if the router signed its exact bytes; 401 and nothing run otherwise. */
  const serveSigned = async (req: IncomingMessage, res: ServerResponse, bytes: Buffer): Promise<void> => {
    const check = verifyRequest(options.signingSecret, req.headers, bytes);
    if (!check.ok) {
      logger.warn({ reason: check.reason, remote: req.socket.remoteAddress }, 'rejected unsigned request');
      sendGraphqlError(res, 401, 'Requests must come through the router', ErrorCode.UNAUTHENTICATED);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      sendGraphqlError(res, 400, 'Body is not JSON', REQUEST_ERROR_CODE);
      return;
    }
    const router = readRouterExtensions(body);
    await serveApolloRequest(apollo, req, res, body, async () => options.context(check.identity, router));
  };

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
  // What the direct path below leaves to Express: a compressed body (express.raw inflates it) or
  // another spelling of the path (/graphql/, /GraphQL).
  app.post('/graphql', express.raw({ type: () => true, limit: maxBodyBytes }), (req, res) =>
    serveSigned(req, res, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
  );
  app.use(graphqlErrorHandler(maxBodyBytes, logger));

  // The router's requests, every one: straight to Apollo on node:http, without Express.
  const isGraphqlPost = isPostTo('/graphql');
  const serveGraphqlPost = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readRequestBody(req, maxBodyBytes);
    if (!body.ok) sendGraphqlError(res, body.status, body.message, REQUEST_ERROR_CODE);
    else await serveSigned(req, res, body.bytes);
  };

  const server = createServer((req, res) => {
    if (isGraphqlPost(req) && hasIdentityEncoding(req)) {
      serveGraphqlPost(req, res).catch((error: unknown) => failRequest(res, error, logger));
    } else {
      app(req, res);
    }
  });
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
