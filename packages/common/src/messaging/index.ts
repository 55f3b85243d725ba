export * from './amqp-topology';
export * from './message-event';
export * from './translation-event';
export * from './translate-api';
