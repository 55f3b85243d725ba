/** Test support: the users, conversations and messages subgraphs in-process, called with signed requests. */
import { randomUUID } from 'node:crypto';
import { signedRequestData } from '@parley/common/testing';
import pg from 'pg';
import { createLogger } from '@parley/common';
import { loadConversationsConfig, startConversationsSubgraph } from '@parley/conversations';
import { loadUsersConfig, startUsersSubgraph } from '@parley/users';
import { startMessagesSubgraph, type RunningMessagesSubgraph } from '../app';
import { loadMessagesConfig } from '../config';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A name prefix of its own per test file, so runs sharing the broker never see each other's events. */
export const uniqueAmqpPrefix = (): string => `test.${randomUUID().slice(0, 8)}.`;

export {
  errorCodes as codes,
  signedRequest,
  signedRequestData as signedData,
  type GraphQLReply as GraphQLResult,
} from '@parley/common/testing';

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`;
const CREATE_CONVERSATION = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;

export interface MessagesStack {
  usersUrl: string;
  conversationsUrl: string;
  messagesUrl: string;
  messages: RunningMessagesSubgraph;
  /** A new account; returns its id. */
  signUp(systemLanguage?: string): Promise<string>;
  /** A GROUP conversation created by `ownerId` with `memberIds`; returns its id. */
  createConversation(ownerId: string, memberIds: string[]): Promise<string>;
  /** Every conversation createConversation made, oldest first. */
  conversationIds: string[];
  stop(): Promise<void>;
}

export interface MessagesStackOptions {
  /** Environment of every subgraph of the stack. */
  env?: Record<string, string>;
  /** Environment of the messages subgraph only, over `env`. */
  messagesEnv?: Record<string, string>;
  onMessagesQuery?: (sql: string) => void;
}

export async function startMessagesStack(options: MessagesStackOptions = {}): Promise<MessagesStack> {
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    AMQP_URL: TEST_AMQP_URL,
    REDIS_URL: TEST_REDIS_URL,
    USERS_PORT: '0',
    CONVERSATIONS_PORT: '0',
    MESSAGES_PORT: '0',
    ...options.env,
  };
  const logger = createLogger('messages-test', env.LOG_LEVEL);
  const users = await startUsersSubgraph(loadUsersConfig(env), { logger });
  const conversations = await startConversationsSubgraph(loadConversationsConfig({ ...env, USERS_URL: users.url }), {
    logger,
  });
  const messages = await startMessagesSubgraph(
    loadMessagesConfig({ ...env, USERS_URL: users.url, CONVERSATIONS_URL: conversations.url, ...options.messagesEnv }),
    { logger, onQuery: options.onMessagesQuery },
  );
  const conversationIds: string[] = [];
  return {
    conversationIds,
    usersUrl: users.url,
    conversationsUrl: conversations.url,
    messagesUrl: messages.url,
    messages,
    async signUp(systemLanguage = 'en') {
      const data = await signedRequestData<{ signUp: { user: { id: string } } }>(users.url, '', SIGN_UP, {
        input: {
          email: `messages-${randomUUID()}@example.test`,
          password: 'correct horse battery',
          displayName: 'messages test',
          systemLanguage,
        },
      });
      return data.signUp.user.id;
    },
    async createConversation(ownerId, memberIds) {
      const data = await signedRequestData<{ createConversation: { id: string } }>(
        conversations.url,
        ownerId,
        CREATE_CONVERSATION,
        { input: { kind: 'GROUP', title: 'messages test', memberIds } },
      );
      conversationIds.push(data.createConversation.id);
      return data.createConversation.id;
    },
    async stop() {
      await messages.stop();
      await conversations.stop();
      await users.stop();
    },
  };
}

/**
 * Removes the outbox rows of these conversations, for tests that run without the relay: rows left
 * behind would otherwise be published by the next test that starts one.
 */
export async function discardOutboxRows(conversationIds: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`delete from "messages"."outbox" where "payload"->>'conversationId' = any($1::text[])`, [
      conversationIds,
    ]);
  } finally {
    await client.end();
  }
}
