import { runProbes, type Logger, type Probe } from '@parley/common';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'up' | 'down'>;
}

export interface ReadinessOptions {
  databaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
  /** Subgraph name → its GraphQL URL; its /ready sits beside it. */
  subgraphUrls: () => Map<string, string>;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Answers /ready: every subgraph, PostgreSQL, Redis and RabbitMQ must answer. Long-lived clients
 * are kept so a probe costs a round trip, not a connection.
 */
export class Readiness {
  private readonly pool: pg.Pool;
  private readonly redis: Redis;
  private readonly amqp: Connection;

  constructor(private readonly options: ReadinessOptions) {
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1, idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => undefined);
    this.redis = new Redis(options.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', () => undefined);
    this.amqp = new Connection({ url: options.amqpUrl, connectionName: 'parley-router-readiness' });
    this.amqp.on('error', () => undefined);
  }

  async check(): Promise<ReadinessReport> {
    const probes: Record<string, Probe> = {
      postgresql: async () => {
        await this.pool.query('select 1');
      },
      redis: async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
        await this.redis.ping();
      },
      rabbitmq: async () => {
        if (!this.amqp.ready) await this.amqp.onConnect(this.options.timeoutMs, true);
      },
    };
    for (const [name, url] of this.options.subgraphUrls()) {
      probes[`subgraph:${name}`] = async () => {
        const response = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(this.options.timeoutMs) });
        if (!response.ok) throw new Error(`status ${response.status}`);
      };
    }
    const { checks, down } = await runProbes(probes, this.options.timeoutMs, this.options.logger);
    return { ready: down.length === 0, checks };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await Promise.allSettled([this.pool.end(), this.amqp.close()]);
  }
}
