export * from './amqp-topology';
export * from './message-event';
export * from './translation-event';
export * from './translation-request';
export * from './translate-api';
