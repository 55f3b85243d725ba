import { randomUUID } from 'node:crypto';
import type { TestUser } from './users';

export const CREATE_CONVERSATION = `
  mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id languages } }
`;

export const MESSAGE_FIELDS = `
  id conversationId seq clientMessageId content originalLanguage version createdAt editedAt deletedAt
  sender { id }
  text { language content status isOriginal }
  translations { messageId sourceLanguage targetLanguage translatedContent translationModel messageVersion fromCache createdAt }
`;

export const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE_FIELDS} } }`;
export const EDIT = `mutation ($id: ID!, $content: String!) { editMessage(id: $id, content: $content) { ${MESSAGE_FIELDS} } }`;
export const DELETE = `mutation ($id: ID!) { deleteMessage(id: $id) { ${MESSAGE_FIELDS} } }`;
export const HISTORY = `
  query ($id: ID!, $last: Int) {
    conversation(id: $id) { id lastSeq messages(last: $last) { ${MESSAGE_FIELDS} } }
  }
`;
export const SINCE = `
  query ($id: ID!, $after: Int!, $first: Int) {
    conversation(id: $id) { id messagesSince(afterSeq: $after, first: $first) { id seq content version } }
  }
`;

export interface LocalizedText {
  language: string;
  content: string;
  status: 'ORIGINAL' | 'TRANSLATED' | 'PENDING' | 'FAILED';
  isOriginal: boolean;
}

export interface TranslationRow {
  messageId: string;
  sourceLanguage: string;
  targetLanguage: string;
  translatedContent: string;
  translationModel: string;
  messageVersion: number;
  fromCache: boolean;
}

export interface MessageData {
  id: string;
  conversationId: string;
  seq: number;
  clientMessageId: string | null;
  content: string;
  originalLanguage: string;
  version: number;
  editedAt: string | null;
  deletedAt: string | null;
  sender: { id: string };
  text: LocalizedText;
  translations: TranslationRow[];
}

export async function createGroup(owner: TestUser, others: TestUser[]): Promise<{ id: string; languages: string[] }> {
  const data = await owner.client.data<{ createConversation: { id: string; languages: string[] } }>(
    CREATE_CONVERSATION,
    { input: { kind: 'GROUP', title: 'e2e', memberIds: others.map((user) => user.id) } },
  );
  return data.createConversation;
}

export async function send(
  who: TestUser,
  conversationId: string,
  content: string,
  extra: { clientMessageId?: string; originalLanguage?: string } = {},
): Promise<MessageData> {
  const data = await who.client.data<{ sendMessage: MessageData }>(SEND, {
    input: { conversationId, content, clientMessageId: extra.clientMessageId ?? randomUUID(), ...extra },
  });
  return data.sendMessage;
}

export async function history(who: TestUser, conversationId: string, last = 200) {
  const data = await who.client.data<{ conversation: { lastSeq: number; messages: MessageData[] } }>(HISTORY, {
    id: conversationId,
    last,
  });
  return data.conversation;
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until every message of the conversation (as `viewer` reads it) has one translation per
 * target language of its current version, and returns the history.
 */
export async function waitForTranslations(
  viewer: TestUser,
  conversationId: string,
  targets: (message: MessageData) => string[],
  options: { timeoutMs?: number; expectedCount?: number } = {},
): Promise<MessageData[]> {
  return waitFor(
    async () => {
      const { messages } = await history(viewer, conversationId);
      if (options.expectedCount !== undefined && messages.length !== options.expectedCount) return undefined;
      const done = messages.every((message) => {
        const have = message.translations
          .filter((t) => t.messageVersion === message.version)
          .map((t) => t.targetLanguage)
          .sort();
        return JSON.stringify(have) === JSON.stringify([...targets(message)].sort());
      });
      return done ? messages : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200, what: 'every translation' },
  );
}
