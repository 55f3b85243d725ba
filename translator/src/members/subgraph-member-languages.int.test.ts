/**
 * @jest-environment ./translator/src/models/onnx-test-environment.js
 */
import { randomUUID } from 'node:crypto';
import { DEV_SIGNING_SECRET, signRequest, type RunningSubgraph } from '@parley/common';
import { loadConversationsConfig, startConversationsSubgraph } from '@parley/conversations';
import { loadUsersConfig, startUsersSubgraph } from '@parley/users';
import { startTranslator, type RunningTranslator } from '../app';
import {
  eventually,
  Harness,
  messageEvent,
  TEST_DATABASE_URL,
  testConfig,
  testLogger,
  uniquePrefix,
} from '../testing/harness';
import { SubgraphMemberLanguages } from './subgraph-member-languages';

/**
 * The real MemberLanguages against the users and conversations subgraphs started in this process
 * on free ports: signed `_entities` calls, `Conversation.languages` computed by users from the
 * member ids conversations provides.
 */

const env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: TEST_DATABASE_URL,
  USERS_PORT: '0',
  CONVERSATIONS_PORT: '0',
};

let users: RunningSubgraph;
let conversations: RunningSubgraph;

/** A signed GraphQL call, as the router would make it. */
async function call<T>(url: string, userId: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signRequest(DEV_SIGNING_SECRET, { userId, clientIp: '' }, body) },
    body,
  });
  const result = (await response.json()) as { data?: T; errors?: unknown };
  if (!result.data || result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

async function signUp(systemLanguage: string): Promise<string> {
  const data = await call<{ signUp: { user: { id: string } } }>(
    users.url,
    '',
    'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
    {
      input: {
        email: `translator-${randomUUID()}@example.test`,
        password: 'correct horse battery',
        displayName: `reader ${systemLanguage}`,
        systemLanguage,
      },
    },
  );
  return data.signUp.user.id;
}

async function createConversation(ownerId: string, memberIds: string[]): Promise<string> {
  const data = await call<{ createConversation: { id: string } }>(
    conversations.url,
    ownerId,
    'mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }',
    { input: { kind: 'GROUP', title: 'translator test', memberIds } },
  );
  return data.createConversation.id;
}

beforeAll(async () => {
  const logger = testLogger();
  users = await startUsersSubgraph(loadUsersConfig(env), { logger });
  conversations = await startConversationsSubgraph(loadConversationsConfig({ ...env, USERS_URL: users.url }), {
    logger,
  });
});

afterAll(async () => {
  await conversations?.stop();
  await users?.stop();
});

describe('SubgraphMemberLanguages', () => {
  it('answers the distinct preferred languages of the members, and [] for an unknown conversation', async () => {
    const owner = await signUp('en');
    const conversationId = await createConversation(owner, [
      await signUp('fr'),
      await signUp('de'),
      await signUp('fr'),
    ]);
    const languages = new SubgraphMemberLanguages({
      conversationsUrl: conversations.url,
      usersUrl: users.url,
      signingSecret: DEV_SIGNING_SECRET,
    });
    expect(await languages.languagesOf(conversationId, owner)).toEqual(['de', 'en', 'fr']);
    expect(await languages.languagesOf(randomUUID(), owner)).toEqual([]);
  });

  it('fails (so the event is retried) when a subgraph refuses the call', async () => {
    const languages = new SubgraphMemberLanguages({
      conversationsUrl: conversations.url,
      usersUrl: users.url,
      signingSecret: 'another-secret-that-is-at-least-32-characters',
    });
    await expect(languages.languagesOf(randomUUID(), randomUUID())).rejects.toThrow(/answered 401/);
  });

  describe('in the translator', () => {
    const prefix = uniquePrefix();
    const harness = new Harness(prefix);
    let translator: RunningTranslator;

    beforeAll(async () => {
      translator = await startTranslator(
        testConfig(prefix, { USERS_URL: users.url, CONVERSATIONS_URL: conversations.url }),
        { logger: testLogger() },
      );
    });

    afterAll(async () => {
      await translator?.stop();
      await harness.close();
    });

    it('translates a message into the languages of the conversation members', async () => {
      const sender = await signUp('es');
      const conversationId = await createConversation(sender, [await signUp('it'), await signUp('es')]);
      const event = messageEvent({ conversationId, senderId: sender, originalLanguage: 'es', content: 'Hola a todos' });
      await harness.publish(event);
      const rows = await eventually(async () => {
        const stored = await harness.rows(event.messageId);
        return stored.length > 0 ? stored : undefined;
      });
      expect(rows.map((row) => [row.target_language, row.status, row.translation_model])).toEqual([
        ['it', 'TRANSLATED', 'test-tiny'],
      ]);
    });
  });
});
