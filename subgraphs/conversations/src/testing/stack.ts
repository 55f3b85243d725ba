/** Test support: the users and conversations subgraphs in-process, called as the router calls them. */
import { randomUUID } from 'node:crypto';
import { signedRequestData } from '@parley/common/testing';
import { createLogger, type RunningSubgraph } from '@parley/common';
import { loadUsersConfig, startUsersSubgraph } from '@parley/users';
import { startConversationsSubgraph } from '../app';
import { loadConversationsConfig } from '../config';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export {
  errorCodes as codes,
  signedRequest,
  signedRequestData as signedData,
  type GraphQLReply as GraphQLResult,
} from '@parley/common/testing';

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`;
const CREATE_CONVERSATION = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;

export interface ConversationsStack {
  usersUrl: string;
  conversationsUrl: string;
  /** A new account; returns its id. */
  signUp(): Promise<string>;
  /** A GROUP conversation created by `ownerId` with `memberIds`; returns its id. */
  createConversation(ownerId: string, memberIds: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startConversationsStack(env: Record<string, string> = {}): Promise<ConversationsStack> {
  const fullEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    USERS_PORT: '0',
    CONVERSATIONS_PORT: '0',
    ...env,
  };
  const logger = createLogger('conversations-test', fullEnv.LOG_LEVEL);
  const users = await startUsersSubgraph(loadUsersConfig(fullEnv), { logger });
  let conversations: RunningSubgraph;
  try {
    conversations = await startConversationsSubgraph(loadConversationsConfig({ ...fullEnv, USERS_URL: users.url }), {
      logger,
    });
  } catch (error) {
    await users.stop();
    throw error;
  }
  return {
    usersUrl: users.url,
    conversationsUrl: conversations.url,
    async signUp() {
      const data = await signedRequestData<{ signUp: { user: { id: string } } }>(users.url, '', SIGN_UP, {
        input: {
          email: `conversations-${randomUUID()}@example.test`,
          password: 'correct horse battery',
          displayName: 'conversations test',
          systemLanguage: 'en',
        },
      });
      return data.signUp.user.id;
    },
    async createConversation(ownerId, memberIds) {
      const data = await signedRequestData<{ createConversation: { id: string } }>(
        conversations.url,
        ownerId,
        CREATE_CONVERSATION,
        { input: { kind: 'GROUP', title: 'conversations test', memberIds } },
      );
      return data.createConversation.id;
    },
    async stop() {
      await conversations.stop();
      await users.stop();
    },
  };
}
