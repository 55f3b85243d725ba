import type { ApolloServer } from '@apollo/server';
import { ErrorCode, REQUEST_ERROR_CODE, type Logger } from '@parley/common';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type ValidationRule,
} from 'graphql';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/bearer';
import type { VerifiedTokens } from '../auth/verified-tokens';
import type { RouterContext } from '../context';
import { exceedsTokenLimit } from '../limits/token-limit';
import { CoalescedWrites, type SocketWrites } from './coalesced-writes';
import { TokenBucket } from './connection-rate';
import { selectOperation, type FederatedSubscriptions, type PreparedSubscription } from './federated-subscriptions';
import { validateWithRootFieldDirectives } from './root-field-directives.rule';
import type { SubscriptionHub } from './subscription-hub';
import type { Subscriber } from './subscriber';

export interface GraphqlWsOptions {
  httpServer: Server;
  path: string;
  apollo: ApolloServer<RouterContext>;
  hub: SubscriptionHub;
  subscriptions: FederatedSubscriptions;
  /** Verifies the token from `connection_init` (shared with HTTP: one verification per token). */
  tokens: VerifiedTokens;
  production: boolean;
  validationRules: ValidationRule[];
  maxTokens: number;
  maxMessageBytes: number;
  connectionInitTimeoutMs: number;
  keepAliveMs: number;
  maxOperationsPerConnection: number;
  operationsPerSecond: number;
  logger: Logger;
}

interface ConnectionState {
  identity?: Pick<RouterContext, 'userId' | 'clientIp'>;
  bucket: TokenBucket;
  subscribers: Map<string, Subscriber>;
  /** Subscriptions being set up (access check, channel): they count against the maximum too. */
  starting: number;
  /** Result frames waiting for the end of the event-loop turn. */
  writes: SocketWrites;
}

/** What onSubscribe hands to execute/subscribe through graphql-ws' ExecutionArgs.contextValue. */
type OperationContext =
  | { kind: 'subscription'; subscriber: Subscriber }
  | { kind: 'request'; identity: Pick<RouterContext, 'userId' | 'clientIp'>; query: string; operationName?: string };

const codedError = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/**
 * GraphQL over WebSocket (graphql-transport-ws) on the HTTP server's /graphql. The protocol's
 * close codes come from graphql-ws itself (4400, 4401, 4403, 4408, 4409, 4429); this adapter adds
 * authentication in connection_init, limits per connection, and routes operations: queries and
 * mutations through Apollo (the same pipeline as HTTP), subscriptions to the hub.
 */
export function attachGraphqlWs(options: GraphqlWsOptions) {
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxMessageBytes,
  });
  const states = new WeakMap<object, ConnectionState>();
  const inFlight = new Set<Promise<unknown>>();
  const prepared = new Map<string, PreparedSubscription>();
  const coalesced = new CoalescedWrites();
  let draining = false;
  const rules = options.production
    ? [...specifiedRules, ...options.validationRules, NoSchemaIntrospectionCustomRule]
    : [...specifiedRules, ...options.validationRules];

  const stateOf = (extra: Extra): ConnectionState => {
    let state = states.get(extra.socket);
    if (!state) {
      state = {
        bucket: new TokenBucket(options.operationsPerSecond, options.operationsPerSecond * 2),
        subscribers: new Map(),
        starting: 0,
        writes: coalesced.forSocket(extra.socket),
      };
      states.set(extra.socket, state);
    }
    return state;
  };

  /**
   * Parsed documents and their validation errors by query text: a reconnect storm sends the same
   * few documents thousands of times, and parse + validate cost more than the rest of a subscribe.
   */
  const documents = new Map<string, { document: DocumentNode; invalid?: readonly GraphQLError[] }>();
  const parsed = (query: string) => {
    let known = documents.get(query);
    if (!known) {
      known = { document: parse(query) };
      if (documents.size >= 1000) documents.delete(documents.keys().next().value!);
      documents.set(query, known);
    }
    return known;
  };

  const prepare = (query: string, document: DocumentNode, operationName: string | undefined) => {
    const key = `${operationName ?? ''}\u0000${query}`;
    let entry = prepared.get(key);
    if (!entry) {
      entry = options.subscriptions.prepare(document, operationName);
      if (prepared.size >= 1000) prepared.delete(prepared.keys().next().value!);
      prepared.set(key, entry);
    }
    return { key, entry };
  };

  const disposable = useServer<Record<string, unknown>>(
    {
      schema: options.subscriptions.apiSchema,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs,
      isProd: options.production,
      onConnect: async (ctx) => {
        if (draining) {
          // Not 4403: clients treat that as a bad token and stop retrying. 1001 sends them elsewhere.
          ctx.extra.socket.close(1001, 'Going away');
          return true;
        }
        const caller = await authenticate(ctx.connectionParams?.authorization, options.tokens);
        if (caller.kind !== 'user') return false;
        const state = stateOf(ctx.extra);
        state.identity = { userId: caller.userId, clientIp: ctx.extra.request.socket.remoteAddress ?? '' };
        return true;
      },
      onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const state = stateOf(ctx.extra);
        const identity = state.identity!;
        if (draining) return [codedError('Server is restarting; reconnect', ErrorCode.INTERNAL_SERVER_ERROR)];
        if (!state.bucket.take()) return [codedError('Too many operations; slow down', ErrorCode.RATE_LIMITED)];
        if (state.subscribers.size + state.starting >= options.maxOperationsPerConnection) {
          return [
            codedError(
              `At most ${options.maxOperationsPerConnection} subscriptions per connection`,
              ErrorCode.RATE_LIMITED,
            ),
          ];
        }
        if (typeof payload.query !== 'string' || exceedsTokenLimit(payload.query, options.maxTokens)) {
          return [codedError(`Document has more than ${options.maxTokens} tokens`, 'GRAPHQL_PARSE_FAILED')];
        }
        let known: ReturnType<typeof parsed>;
        try {
          known = parsed(payload.query);
        } catch (error) {
          return [codedError((error as Error).message, 'GRAPHQL_PARSE_FAILED')];
        }
        const document = known.document;
        const operationName = payload.operationName ?? undefined;
        let operation;
        try {
          operation = selectOperation(document, operationName);
        } catch {
          return [codedError('Unknown or ambiguous operation name', 'GRAPHQL_VALIDATION_FAILED')];
        }
        // Validated here for every kind of operation, so an invalid query or mutation is an `error`
        // message, as the protocol has it, rather than a `next` with errors.
        known.invalid ??= validateWithRootFieldDirectives(options.subscriptions.apiSchema, document, rules);
        const invalid = known.invalid;
        if (invalid.length > 0) {
          return invalid.map(
            (error) =>
              // With its locations, as over HTTP.
              new GraphQLError(error.message, {
                source: error.source,
                positions: error.positions,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          );
        }
        if (operation.operation !== 'subscription') {
          // Apollo runs it exactly as over HTTP (it validates again, from its own cache).
          const contextValue: OperationContext = { kind: 'request', identity, query: payload.query, operationName };
          return { schema: options.subscriptions.apiSchema, document, contextValue, variableValues: payload.variables };
        }
        const coerced = options.subscriptions.coerce(document, operationName, payload.variables);
        if (!coerced.ok) return coerced.errors.map((error) => codedError(error.message, ErrorCode.BAD_USER_INPUT));
        const { key, entry } = prepare(payload.query, document, operationName);
        state.starting += 1;
        const socket = ctx.extra.socket;
        const frameStart = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
        const outcome = await options.hub
          .subscribe({
            identity,
            prepared: entry,
            documentKey: key,
            variables: coerced.variables,
            fieldArguments: coerced.fieldArguments,
            transport: {
              send: (payload) => coalesced.send(state.writes, frameStart, payload),
              flush: () => coalesced.flush(state.writes),
              bufferedBytes: () => socket.bufferedAmount + state.writes.pendingBytes,
            },
          })
          .finally(() => {
            state.starting -= 1;
          });
        if (!outcome.ok) {
          return outcome.errors.map(
            (error) => new GraphQLError(error.message, { extensions: error.extensions, path: error.path }),
          );
        }
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) {
          outcome.subscriber.end();
          return [codedError('Connection closed', ErrorCode.BAD_USER_INPUT)];
        }
        state.subscribers.set(id, outcome.subscriber);
        const contextValue: OperationContext = { kind: 'subscription', subscriber: outcome.subscriber };
        return { schema: options.subscriptions.apiSchema, document, contextValue };
      },
      execute: (args) => {
        const context = args.contextValue as OperationContext;
        if (context.kind !== 'request') throw new Error('unexpected operation');
        const run = options.apollo
          .executeOperation(
            { query: context.query, variables: args.variableValues ?? undefined, operationName: context.operationName },
            { contextValue: { ...context.identity } },
          )
          .then((response) =>
            response.body.kind === 'single'
              ? (response.body.singleResult as ExecutionResult)
              : ({
                  errors: [codedError('Incremental delivery is not supported here', REQUEST_ERROR_CODE)],
                } as ExecutionResult),
          );
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
        return run;
      },
      subscribe: (args) => {
        const context = args.contextValue as OperationContext;
        if (context.kind !== 'subscription') throw new Error('unexpected operation');
        return context.subscriber.queue as never;
      },
      // Results are already formatted and masked (Apollo for requests, the hub for events).
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
      onComplete: (ctx, id) => {
        const state = stateOf(ctx.extra);
        state.subscribers.get(id)?.end();
        state.subscribers.delete(id);
      },
      onClose: (ctx) => {
        for (const subscriber of stateOf(ctx.extra).subscribers.values()) subscriber.end();
      },
    },
    wss,
    options.keepAliveMs,
  );

  return {
    /**
     * Graceful stop: refuse new sockets and operations, let running queries and mutations and the
     * events already being resolved finish (up to `graceMs`), then close every socket with 1001
     * so clients reconnect elsewhere.
     */
    async stop(graceMs: number): Promise<void> {
      draining = true;
      const settle = Promise.all([...inFlight, options.hub.settled()]);
      await Promise.race([settle, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      // graphql-ws takes what the hub pushed on its next turns; let it write before the close frame.
      await new Promise((resolve) => setTimeout(resolve, 20));
      coalesced.flushAll();
      const closing = disposable.dispose();
      const forced = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 2000);
      forced.unref();
      await Promise.resolve(closing).catch((error: unknown) =>
        options.logger.warn({ err: error }, 'websocket server close failed'),
      );
      clearTimeout(forced);
    },
    get connections(): number {
      return wss.clients.size;
    },
    /** Result frames sent and the socket writes they took. */
    writeStats: coalesced.stats,
  };
}
