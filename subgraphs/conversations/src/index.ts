export { buildConversationsSchema } from './schema';
export { startConversationsSubgraph, CONVERSATIONS_DB_SCHEMA, type ConversationsSubgraph } from './app';
export { loadConversationsConfig, conversationsEnvSchema, type ConversationsConfig } from './config';
