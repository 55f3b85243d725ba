import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  createLogger,
  failRequest,
  graphqlErrorBody,
  graphqlErrorHandler,
  isPostTo,
  maskError,
  type Logger,
} from '@parley/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VerifiedTokens } from './auth/verified-tokens';
import { publicOperationsPlugin } from './auth/public-operations';
import { subscriptionsOverHttpPlugin } from './auth/subscriptions-over-http';
import { subgraphUrlOverrides, type RouterConfig } from './config';
import type { RouterContext } from './context';
import { createGateway } from './gateway/create-gateway';
import { checkCustomScalars } from './gateway/scalar-parsing';
import { GRAPHIQL_ASSET_PREFIX, graphiqlAssets, graphiqlHtml } from './graphiql/graphiql';
import { Readiness } from './health/readiness';
import { graphqlPostHandler } from './http/graphql-post';
import { operationResolutionPlugin } from './http/operation-resolution';
import { readsJsonBodyLikeExpress } from './http/json-body';
import { routerContextOf } from './http/router-context';
import { aliasLimitRule } from './limits/alias-limit.rule';
import { depthLimitRule } from './limits/depth-limit.rule';
import { tokenLimitRefusal } from './limits/token-limit';
import { FederatedSubscriptions } from './subscriptions/federated-subscriptions';
import { rootFieldDirectivesRule } from './subscriptions/root-field-directives.rule';
import type { CoalescedWritesStats } from './subscriptions/coalesced-writes';
import { attachGraphqlWs } from './subscriptions/graphql-ws-server';
import { RealtimeBus } from './subscriptions/realtime-bus';
import { SubscriptionHub } from './subscriptions/subscription-hub';
import { viewerSettingsReader } from './subscriptions/viewer-settings';
import { lastSeqReader } from './subscriptions/conversation-last-seq';
import { memberIdsReader } from './subscriptions/conversation-members';

export interface RunningRouter {
  url: string;
  server: Server;
  /** The subscription core, for tests and benchmarks (resolution counts). */
  subscriptions: SubscriptionHub;
  /** Result frames sent over WebSocket and the socket writes they took (benchmarks). */
  frameWrites: CoalescedWritesStats;
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

export async function startRouter(config: RouterConfig, logger: Logger = createLogger('router', config.LOG_LEVEL)) {
  const production = config.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  // Its request listener is set once Apollo has started (below): POST /graphql skips Express.
  const httpServer = createServer();
  const tokens = new VerifiedTokens(config.JWT_SECRET);
  const contextOf = routerContextOf(tokens, config.TRUST_PROXY_HOPS);

  const { gateway, supergraphSdl, subgraphUrls, dataSources } = createGateway({
    supergraphPath: config.SUPERGRAPH_PATH,
    signingSecret: config.SUBGRAPH_SIGNING_SECRET,
    urlOverrides: subgraphUrlOverrides(config),
    logger,
  });

  const validationRules = [
    depthLimitRule(config.MAX_QUERY_DEPTH),
    aliasLimitRule(config.MAX_ALIASES),
    rootFieldDirectivesRule,
  ];
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // The service's own onShutdown drains and stops it; Apollo re-raising the signal would cut that short.
    stopOnTerminationSignals: false,
    validationRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      publicOperationsPlugin(!production),
      subscriptionsOverHttpPlugin,
      operationResolutionPlugin,
    ],
    formatError: (formatted, error) =>
      maskError(formatted, () => logger.error({ err: error, path: formatted.path }, 'operation failed')),
  });
  await apollo.start();

  if (!gateway.schema) throw new Error('the gateway has no schema after start');
  checkCustomScalars(gateway.schema);
  const federated = new FederatedSubscriptions(supergraphSdl, gateway.schema, dataSources, logger);
  const bus = new RealtimeBus(config.REDIS_URL, logger);
  const hub = new SubscriptionHub({
    executor: federated,
    bus,
    viewerSettings: viewerSettingsReader(apollo),
    lastSeq: lastSeqReader(apollo),
    memberIds: memberIdsReader(apollo),
    accessSweepMs: config.SUBSCRIPTION_ACCESS_SWEEP_MS,
    translationDeadlineMs: config.TRANSLATION_DEADLINE_MS,
    reorderWindowMs: config.SUBSCRIPTION_REORDER_WINDOW_MS,
    maxBufferedBytesPerSubscriber: config.SUBSCRIPTION_MAX_BUFFERED_BYTES,
    listenTimeoutMs: config.READY_TIMEOUT_MS,
    grouping: config.SUBSCRIPTION_GROUPING,
    logger,
  });
  const websockets = attachGraphqlWs({
    httpServer,
    path: GRAPHQL_PATH,
    apollo,
    hub,
    subscriptions: federated,
    tokens,
    production,
    validationRules,
    maxTokens: config.MAX_TOKENS,
    maxMessageBytes: config.WS_MAX_MESSAGE_BYTES,
    connectionInitTimeoutMs: config.WS_CONNECTION_INIT_TIMEOUT_MS,
    keepAliveMs: config.WS_KEEPALIVE_MS,
    maxOperationsPerConnection: config.WS_MAX_SUBSCRIPTIONS,
    operationsPerSecond: config.WS_OPERATIONS_PER_SECOND,
    logger,
  });

  const readiness = new Readiness({
    databaseUrl: config.DATABASE_URL,
    redisUrl: config.REDIS_URL,
    amqpUrl: config.AMQP_URL,
    subgraphUrls: () => subgraphUrls,
    timeoutMs: config.READY_TIMEOUT_MS,
    logger,
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const report = await readiness.check();
    res.status(report.ready ? 200 : 503).json({
      status: report.ready ? 'ready' : 'unavailable',
      down: Object.entries(report.checks).flatMap(([name, state]) => (state === 'down' ? [name] : [])),
      checks: report.checks,
    });
  });

  if (!production) {
    app.use(GRAPHIQL_ASSET_PREFIX, graphiqlAssets());
    app.get(GRAPHQL_PATH, (req, res, next) => {
      if (!req.accepts('html') || req.query.query !== undefined) return next();
      res.type('html').send(graphiqlHtml(GRAPHQL_PATH));
    });
  }

  app.use(
    GRAPHQL_PATH,
    express.json({ limit: config.MAX_BODY_BYTES }),
    (req: Request, res: Response, next: NextFunction) => {
      const refusal = tokenLimitRefusal(req.body, config.MAX_TOKENS);
      if (refusal) {
        res.status(refusal.status).json(graphqlErrorBody(refusal.message, 'GRAPHQL_PARSE_FAILED'));
        return;
      }
      next();
    },
    expressMiddleware(apollo, { context: async ({ req }): Promise<RouterContext> => contextOf(req) }),
  );

  // Body too large, malformed JSON: answer in GraphQL's error shape, never with a stack page.
  app.use(graphqlErrorHandler(config.MAX_BODY_BYTES, logger));

  // POST /graphql, the hot path, is served on node:http straight through Apollo: the same answers
  // as the Express chain above, which keeps what it does not reproduce (GET, compressed bodies,
  // charsets other than UTF-8, other spellings of the path) and everything else.
  const isGraphqlPost = isPostTo(GRAPHQL_PATH);
  const serveGraphqlPost = graphqlPostHandler({
    apollo,
    maxBodyBytes: config.MAX_BODY_BYTES,
    maxTokens: config.MAX_TOKENS,
    context: contextOf,
  });
  httpServer.on('request', (req, res) => {
    if (isGraphqlPost(req) && readsJsonBodyLikeExpress(req)) {
      serveGraphqlPost(req, res).catch((error: unknown) => failRequest(res, error, logger));
    } else {
      app(req, res);
    }
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.ROUTER_PORT, config.ROUTER_HOST, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://localhost:${port}${GRAPHQL_PATH}`;
  logger.info({ url, production }, 'router listening');
  let stopping: Promise<void> | undefined;

  return {
    url,
    server: httpServer,
    subscriptions: hub,
    frameWrites: websockets.writeStats,
    stop() {
      stopping ??= (async () => {
        await websockets.stop(config.SHUTDOWN_GRACE_MS);
        await hub.close();
        await apollo.stop();
        await Promise.all([readiness.close(), bus.close()]);
      })();
      return stopping;
    },
  } satisfies RunningRouter;
}
