export { buildConversationsSchema } from './schema';
export { startConversationsSubgraph } from './app';
export { createConversationsOrm, CONVERSATIONS_DB_SCHEMA } from './orm';
export { loadConversationsConfig, conversationsEnvSchema, type ConversationsConfig } from './config';
