import { Connection } from 'rabbitmq-client';
import { findBinary } from './local';
import { describeError, type BackingService, type ProbeResult } from './types';

/** AMQP reply codes that mean the broker answered and refused us. */
const REFUSALS = new Set(['ACCESS_REFUSED', 'NOT_ALLOWED', 'INVALID_PATH']);

export async function probeRabbitMq(url: string, timeoutMs: number): Promise<ProbeResult> {
  let lastError: unknown;
  const connection = new Connection({
    url,
    connectionName: 'parley-infra-probe',
    connectionTimeout: timeoutMs,
    retryLow: 100,
    retryHigh: 200,
    heartbeat: 0,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      // The client retries for ever; the first error is the answer a probe needs.
      connection.once('error', (error) => {
        lastError = error;
        reject(error);
      });
      connection.onConnect(timeoutMs, true).then(resolve, reject);
    });
    return { status: 'ok' };
  } catch (error) {
    return classifyRabbitError(lastError ?? error);
  } finally {
    connection.removeAllListeners('error');
    connection.on('error', () => undefined);
    void connection.close().catch(() => undefined);
  }
}

export function classifyRabbitError(error: unknown): ProbeResult {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && REFUSALS.has(code)) return { status: 'rejected', detail: describeError(error) };
  return { status: 'down', detail: describeError(error) };
}

export function rabbitMqService(url: string): BackingService {
  return {
    name: 'RabbitMQ',
    envVar: 'AMQP_URL',
    url,
    aptPackage: 'rabbitmq-server',
    probe: (timeoutMs) => probeRabbitMq(url, timeoutMs),
    isInstalled: () => findBinary('rabbitmq-server') !== undefined,
    startCommand: () => ({ command: findBinary('rabbitmq-server') ?? 'rabbitmq-server', args: ['-detached'] }),
  };
}
