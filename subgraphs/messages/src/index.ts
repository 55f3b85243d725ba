export { buildMessagesSchema } from './schema';
export { startMessagesSubgraph, type MessagesSubgraphOptions, type RunningMessagesSubgraph } from './app';
export { createMessagesOrm, MESSAGES_DB_SCHEMA } from './orm';
export { loadMessagesConfig, messagesEnvSchema, type MessagesConfig } from './config';
export { OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';
