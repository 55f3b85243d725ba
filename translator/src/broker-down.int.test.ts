/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { startTranslator, type RunningTranslator } from './app';
import {
  eventually,
  Harness,
  messageEvent,
  TEST_AMQP_URL,
  testConfig,
  testLogger,
  translationRequest,
  uniquePrefix,
} from './testing/harness';

/**
 * RabbitMQ away at start: the translator starts anyway, serves /health (and /ready says rabbitmq is
 * down), and once the broker is reachable it declares the topology and consumes both queues. The
 * broker this machine shares is never stopped here: the translator reaches it through a TCP relay
 * of this test, which is "down" until it listens.
 */

/** Forwards a local port to the real broker once `open` is called; refuses connections before. */
class BrokerRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly target = new URL(TEST_AMQP_URL);

  constructor(readonly port: number) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 5672), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

const prefix = uniquePrefix();
const harness = new Harness(prefix);
const conversationId = randomUUID();
let relay: BrokerRelay;
let translator: RunningTranslator;

beforeAll(async () => {
  relay = new BrokerRelay(await freePort());
  await harness.start();
});

afterAll(async () => {
  await translator?.stop();
  await relay.close();
  await harness.close();
});

it('starts without RabbitMQ, serves HTTP, and consumes once the broker is reachable', async () => {
  const started = Date.now();
  translator = await startTranslator(testConfig(prefix, { AMQP_URL: `amqp://guest:guest@127.0.0.1:${relay.port}` }), {
    logger: testLogger(),
    memberLanguages: { languagesOf: async (id) => (id === conversationId ? ['en', 'fr'] : []) },
  });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect((await fetch(`${translator.url}/health`)).status).toBe(200);
  const notReady = await fetch(`${translator.url}/ready`);
  expect(notReady.status).toBe(503);
  expect(((await notReady.json()) as { down: string[] }).down).toContain('rabbitmq');

  await relay.open();
  await eventually(async () => (await fetch(`${translator.url}/ready`)).status === 200, 20_000);

  // Both queues are declared and consumed now: a message event, then a request for another language.
  const event = messageEvent({ conversationId, originalLanguage: 'en' });
  await harness.publish(event);
  await harness.publishRequest(translationRequest(event, ['it']));
  const rows = await eventually(async () => {
    const stored = await harness.rows(event.messageId);
    return stored.length === 2 ? stored : undefined;
  }, 20_000);
  expect(rows.map((row) => [row.target_language, row.status])).toEqual([
    ['fr', 'TRANSLATED'],
    ['it', 'TRANSLATED'],
  ]);
});

it('stops promptly while the broker is unreachable', async () => {
  const alone = await startTranslator(
    testConfig(uniquePrefix(), { AMQP_URL: `amqp://guest:guest@127.0.0.1:${await freePort()}` }),
    { logger: testLogger(), memberLanguages: { languagesOf: async () => [] } },
  );
  const stopping = Date.now();
  await alone.stop();
  expect(Date.now() - stopping).toBeLessThan(8_000);
});
