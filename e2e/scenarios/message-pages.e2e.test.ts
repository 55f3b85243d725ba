import { createGroup, send } from '../support/messaging';
import { startStack, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';

/**
 * Pages through the router: long messages, the default page sizes, an empty conversation.
 *
 * Long messages: `Message.text` @requires the content, so the router
 * sends every message of a page to the translations subgraph in one `_entities` request: 100
 * messages of 4000 three-byte characters are 1.2 MB of content there, against 12 KB for each send.
 * A subgraph refusing that body failed the whole page (`INTERNAL_SERVER_ERROR`, conversation
 * null), and a client catching up with `messagesSince` retried the same page for ever.
 */
let stack: Stack;
let writer: TestUser;
let reader: TestUser;

beforeAll(async () => {
  stack = await startStack({ translator: 'none' });
  // Both read Japanese, the messages' language: no translation is due, only the originals.
  [writer, reader] = await Promise.all([
    signUpUser(stack.routerUrl, 'ja', 'writer'),
    signUpUser(stack.routerUrl, 'ja', 'reader'),
  ]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const COUNT = 100;
/** 4000 characters, each 3 bytes of UTF-8: the longest message the contract allows, in bytes nearly. */
const longText = (i: number) => `${String(i).padStart(2, '0')}: ${'漢字かな'.repeat(999)}`;

const PAGES = `
  query ($id: ID!) {
    conversation(id: $id) {
      messagesSince(afterSeq: 0) { seq content text { content isOriginal } }
      messages(last: ${COUNT}) { seq text { content isOriginal } }
    }
  }
`;

interface PageMessage {
  seq: number;
  content?: string;
  text: { content: string; isOriginal: boolean };
}

it('serves a full default page of 4000-character messages with their text', async () => {
  const group = await createGroup(writer, [reader]);
  const sent: string[] = [];
  for (let from = 0; from < COUNT; from += 10) {
    const texts = Array.from({ length: 10 }, (_, k) => longText(from + k));
    // Sent ten at a time, in order of seq: each ten land after the previous ten.
    const messages = await Promise.all(texts.map((text) => send(writer, group.id, text, { originalLanguage: 'ja' })));
    for (const message of messages.sort((a, b) => a.seq - b.seq)) sent.push(message.content);
  }
  expect(sent.every((text) => [...text].length === 4000)).toBe(true);

  const result = await reader.client.request<{
    conversation: { messagesSince: PageMessage[]; messages: PageMessage[] } | null;
  }>(PAGES, { id: group.id });
  expect(result.errors).toBeUndefined();
  const { messagesSince, messages } = result.data!.conversation!;
  // messagesSince's default page is 100: every message, in order, with its text.
  expect(messagesSince.map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1));
  expect(messagesSince.map((m) => m.content)).toEqual(sent);
  expect(messagesSince.map((m) => m.text)).toEqual(sent.map((content) => ({ content, isOriginal: true })));
  expect(messages.map((m) => m.text.content)).toEqual(sent);

  // One more: the default pages are the contract's, messagesSince's first 100 and messages' last 50.
  await send(writer, group.id, 'もう一つ', { originalLanguage: 'ja' });
  const defaults = await reader.client.data<{
    conversation: { lastSeq: number; messagesSince: Array<{ seq: number }>; messages: Array<{ seq: number }> };
  }>(`query ($id: ID!) { conversation(id: $id) { lastSeq messagesSince(afterSeq: 0) { seq } messages { seq } } }`, {
    id: group.id,
  });
  expect(defaults.conversation.lastSeq).toBe(COUNT + 1);
  expect(defaults.conversation.messagesSince.map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  expect(defaults.conversation.messages.map((m) => m.seq)).toEqual(
    Array.from({ length: 50 }, (_, i) => COUNT + 1 - 49 + i),
  );
}, 180_000);

it('a conversation without messages has lastSeq 0 and empty pages', async () => {
  const group = await createGroup(writer, [reader]);
  const empty = await reader.client.data<{
    conversation: { lastSeq: number; messagesSince: unknown[]; messages: unknown[] };
  }>(`query ($id: ID!) { conversation(id: $id) { lastSeq messagesSince(afterSeq: 0) { seq } messages { seq } } }`, {
    id: group.id,
  });
  expect(empty.conversation).toEqual({ lastSeq: 0, messagesSince: [], messages: [] });
});
