import { startStack } from '../../e2e/support/stack';
import { serveParent } from './child';

/**
 * The subgraphs of the fan-out bench (translator left out) in a process of their own, as they
 * run in production: neither the router nor the bench's client sockets share their event loop.
 * BENCH_STACK_ENV (JSON) overrides the test stack's environment; the parent reads the resulting
 * environment (subgraph URLs, AMQP prefix) with `env`.
 */
const overrides = JSON.parse(process.env.BENCH_STACK_ENV ?? '{}') as Record<string, string>;
const stack = await startStack({ translator: 'none', withoutRouter: true, env: overrides });
serveParent(stack.messagesUrl, { env: () => stack.env }, () => stack.stop());
