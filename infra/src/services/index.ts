export * from './decide';
export * from './ensure';
export * from './local';
export * from './postgres';
export * from './rabbitmq';
export * from './redis';
export * from './types';

import type { BackingService } from './types';
import { postgresService } from './postgres';
import { rabbitMqService } from './rabbitmq';
import { redisService } from './redis';

/** The three backing services, in the order they are ensured. */
export function backingServices(urls: { DATABASE_URL: string; REDIS_URL: string; AMQP_URL: string }): BackingService[] {
  return [postgresService(urls.DATABASE_URL), redisService(urls.REDIS_URL), rabbitMqService(urls.AMQP_URL)];
}
