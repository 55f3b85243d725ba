import { randomUUID } from 'node:crypto';
import { codes } from '../support/client';
import {
  createGroup,
  DELETE,
  EDIT,
  history,
  SEND,
  send,
  SINCE,
  waitFor,
  waitForTranslations,
  type MessageData,
} from '../support/messaging';
import { startStack, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';

const PREFS = `mutation ($input: LanguagePreferencesInput!) { updateLanguagePreferences(input: $input) { preferredLanguage } }`;
const TEXT_IN = `query ($id: ID!) { conversation(id: $id) { messages(last: 1) { id text(language: de) { language content status isOriginal } } } }`;
const TRANSLATE = `query ($text: String!, $target: LanguageCode!, $source: LanguageCode) {
  translate(text: $text, targetLanguage: $target, sourceLanguage: $source) {
    sourceLanguage targetLanguage translatedContent translationModel fromCache
  }
}`;

let stack: Stack;
let en: TestUser;
let fr: TestUser;
let es: TestUser;
let outsider: TestUser;
let conversationId: string;

/** The languages a message must be translated into: the members' languages other than its own. */
const targetsOf = (message: Pick<MessageData, 'originalLanguage'>) =>
  ['en', 'fr', 'es'].filter((language) => language !== message.originalLanguage);

/** The first message's targets also hold German, which the first test reads (and so requests). */
const withRequestedDe = (message: Pick<MessageData, 'originalLanguage' | 'seq'>) =>
  message.seq === 1 ? [...targetsOf(message), 'de'] : targetsOf(message);

beforeAll(async () => {
  stack = await startStack();
  [en, fr, es, outsider] = await Promise.all([
    signUpUser(stack.routerUrl, 'en', 'en'),
    signUpUser(stack.routerUrl, 'fr', 'fr'),
    signUpUser(stack.routerUrl, 'es', 'es'),
    signUpUser(stack.routerUrl, 'de', 'outsider'),
  ]);
  const conversation = await createGroup(en, [fr, es]);
  conversationId = conversation.id;
  expect(conversation.languages.sort()).toEqual(['en', 'es', 'fr']);
});
afterAll(() => stack?.stop());

describe('sendMessage through the router', () => {
  it('stores the message once and translates it into every other member language with the batched ONNX model', async () => {
    const sent = await send(en, conversationId, 'The meeting moved to Thursday afternoon.', { originalLanguage: 'en' });
    expect(sent).toMatchObject({ seq: 1, version: 1, originalLanguage: 'en', sender: { id: en.id } });
    // The sender reads the original at once.
    expect(sent.text).toEqual({
      language: 'en',
      content: 'The meeting moved to Thursday afternoon.',
      status: 'ORIGINAL',
      isOriginal: true,
    });

    const [message] = await waitForTranslations(fr, conversationId, targetsOf);
    expect(message!.translations.map((t) => t.targetLanguage).sort()).toEqual(['es', 'fr']);
    for (const translation of message!.translations) {
      expect(translation).toMatchObject({
        messageId: sent.id,
        sourceLanguage: 'en',
        translationModel: 'test-tiny',
        messageVersion: 1,
      });
    }
    // Each reader gets its own variant.
    expect(message!.text).toMatchObject({ language: 'fr', status: 'TRANSLATED', isOriginal: false });
    expect(message!.text.content).toBe(message!.translations.find((t) => t.targetLanguage === 'fr')!.translatedContent);
    const forEs = (await history(es, conversationId)).messages[0]!;
    expect(forEs.text).toMatchObject({ language: 'es', status: 'TRANSLATED' });
    const forEn = (await history(en, conversationId)).messages[0]!;
    expect(forEn.text).toMatchObject({ language: 'en', status: 'ORIGINAL', content: sent.content });

    // A language no member reads is PENDING with the original text, never invented.
    const de = await en.client.data<{ conversation: { messages: Array<{ text: unknown }> } }>(TEXT_IN, {
      id: conversationId,
    });
    expect(de.conversation.messages[0]!.text).toEqual({
      language: 'de',
      content: sent.content,
      status: 'PENDING',
      isOriginal: true,
    });
    // ...and that read queued its translation on demand (on-demand-translations.e2e.test.ts).
    await waitForTranslations(fr, conversationId, withRequestedDe);
  });

  it('detects the language when none is given', async () => {
    const sent = await send(fr, conversationId, 'Je serai en retard ce soir, commencez sans moi.');
    expect(sent.originalLanguage).toBe('fr');
    expect(sent.text.status).toBe('ORIGINAL');
  });

  it('shows the original to a reader who turned auto-translation off', async () => {
    await es.client.data(PREFS, { input: { autoTranslateEnabled: false } });
    try {
      const messages = await waitForTranslations(es, conversationId, withRequestedDe);
      for (const message of messages) expect(message.text).toMatchObject({ status: 'ORIGINAL', isOriginal: true });
    } finally {
      await es.client.data(PREFS, { input: { autoTranslateEnabled: true } });
    }
  });
});

describe('seq and idempotency under concurrency', () => {
  it('gives 30 concurrent sends from three members the seqs 1..30 with no gap', async () => {
    const group = await createGroup(en, [fr, es]);
    const senders = [en, fr, es];
    const sent = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send(senders[i % 3]!, group.id, `Concurrent message number ${i}`, { originalLanguage: 'en' }),
      ),
    );
    expect(sent.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const stored = await history(fr, group.id);
    expect(stored.lastSeq).toBe(30);
    expect(stored.messages.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('stores one message for 5 concurrent sends with one clientMessageId, and a later repeat returns it too', async () => {
    const group = await createGroup(en, [fr]);
    const clientMessageId = randomUUID();
    const sent = await Promise.all(
      Array.from({ length: 5 }, () => send(en, group.id, 'Only once, please.', { clientMessageId })),
    );
    expect(new Set(sent.map((m) => m.id)).size).toBe(1);
    expect(new Set(sent.map((m) => m.seq))).toEqual(new Set([1]));
    const again = await send(en, group.id, 'Only once, please.', { clientMessageId });
    expect(again.id).toBe(sent[0]!.id);
    const stored = await history(en, group.id);
    expect(stored.lastSeq).toBe(1);
    expect(stored.messages).toHaveLength(1);
  });

  it('catches up with messagesSince after a given seq', async () => {
    const group = await createGroup(en, [fr]);
    for (let i = 1; i <= 5; i++) await send(en, group.id, `Catch-up message ${i}`, { originalLanguage: 'en' });
    const data = await fr.client.data<{ conversation: { messagesSince: Array<{ seq: number }> } }>(SINCE, {
      id: group.id,
      after: 2,
      first: 2,
    });
    expect(data.conversation.messagesSince.map((m) => m.seq)).toEqual([3, 4]);
  });
});

describe('edits and deletions', () => {
  it('replaces the version-1 translations with version-2 ones after an edit', async () => {
    const group = await createGroup(en, [fr, es]);
    const sent = await send(en, group.id, 'Lunch is at noon.', { originalLanguage: 'en' });
    await waitForTranslations(fr, group.id, targetsOf);
    const edited = await en.client.data<{ editMessage: MessageData }>(EDIT, {
      id: sent.id,
      content: 'Lunch is at one instead.',
    });
    expect(edited.editMessage).toMatchObject({ id: sent.id, seq: 1, version: 2, content: 'Lunch is at one instead.' });
    expect(edited.editMessage.editedAt).not.toBeNull();
    const [message] = await waitForTranslations(fr, group.id, targetsOf);
    expect(message!.version).toBe(2);
    expect(message!.translations.every((t) => t.messageVersion === 2)).toBe(true);
    expect(message!.translations).toHaveLength(2);
  });

  it('empties a deleted message and its translations', async () => {
    const group = await createGroup(en, [fr, es]);
    const sent = await send(en, group.id, 'This will be deleted.', { originalLanguage: 'en' });
    const deleted = await en.client.data<{ deleteMessage: MessageData }>(DELETE, { id: sent.id });
    expect(deleted.deleteMessage).toMatchObject({ id: sent.id, content: '', translations: [] });
    expect(deleted.deleteMessage.deletedAt).not.toBeNull();
    const message = await waitFor(
      async () => {
        const [m] = (await history(fr, group.id)).messages;
        return m && m.translations.length === 0 ? m : undefined;
      },
      { what: 'translations dropped' },
    );
    expect(message.text.content).toBe('');
    expect(message.content).toBe('');
  });
});

describe('bad input changes nothing', () => {
  const sendRaw = (who: TestUser, input: Record<string, unknown>) =>
    who.client.request(SEND, { input: { conversationId, clientMessageId: randomUUID(), ...input } });

  it.each([
    ['empty content', { content: '' }],
    ['blank content', { content: ' \n\t ' }],
    ['content over 4000 characters', { content: 'a'.repeat(4001) }],
    ['an unsupported language', { content: 'Hallo', originalLanguage: 'xx' }],
  ])('%s is BAD_USER_INPUT', async (_label, input) => {
    const before = await history(en, conversationId);
    const result = await sendRaw(en, input);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect((await history(en, conversationId)).lastSeq).toBe(before.lastSeq);
  });

  it('accepts exactly 4000 characters', async () => {
    const result = await sendRaw(en, { content: 'é'.repeat(4000), originalLanguage: 'fr' });
    expect(result.errors).toBeUndefined();
  });

  it('refuses a non-member with FORBIDDEN and no data, for sending and reading', async () => {
    const before = await history(en, conversationId);
    const sent = await sendRaw(outsider, { content: 'Let me in' });
    expect(codes(sent)).toEqual(['FORBIDDEN']);
    expect(sent.data).toBeNull();
    const read = await outsider.client.request(SINCE, { id: conversationId, after: 0 });
    expect(codes(read)).toContain('FORBIDDEN');
    expect(JSON.stringify(read.data ?? null)).not.toContain('seq');
    expect((await history(en, conversationId)).lastSeq).toBe(before.lastSeq);
  });

  it('lets only the sender edit or delete (FORBIDDEN), and answers NOT_FOUND for an unknown message', async () => {
    const sent = await send(en, conversationId, 'Mine to change.', { originalLanguage: 'en' });
    expect(codes(await fr.client.request(EDIT, { id: sent.id, content: 'Hijacked' }))).toEqual(['FORBIDDEN']);
    expect(codes(await fr.client.request(DELETE, { id: sent.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await en.client.request(EDIT, { id: sent.id, content: '   ' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await en.client.request(EDIT, { id: randomUUID(), content: 'x' }))).toEqual(['NOT_FOUND']);
    expect(codes(await en.client.request(DELETE, { id: 'not-an-id' }))).toEqual(['NOT_FOUND']);
    const unchanged = (await history(en, conversationId)).messages.find((m) => m.id === sent.id)!;
    expect(unchanged).toMatchObject({ version: 1, content: 'Mine to change.', deletedAt: null });
  });

  it('answers NOT_FOUND for a conversation that does not exist', async () => {
    const result = await en.client.request(SEND, {
      input: { conversationId: randomUUID(), content: 'Hello?', clientMessageId: randomUUID() },
    });
    expect(codes(result)).toEqual(['NOT_FOUND']);
  });
});

describe('translate', () => {
  it('translates on demand through the same model, then from the cache', async () => {
    const text = `On-demand ${randomUUID()}`;
    const first = await en.client.data<{ translate: Record<string, unknown> }>(TRANSLATE, {
      text,
      target: 'fr',
      source: 'en',
    });
    expect(first.translate).toMatchObject({
      sourceLanguage: 'en',
      targetLanguage: 'fr',
      translationModel: 'test-tiny',
      fromCache: false,
    });
    const second = await en.client.data<{ translate: Record<string, unknown> }>(TRANSLATE, {
      text,
      target: 'fr',
      source: 'en',
    });
    expect(second.translate).toEqual({ ...first.translate, fromCache: true });
  });

  it.each([
    ['empty text', { text: ' ', target: 'fr' }],
    ['unsupported target', { text: 'Hello', target: 'xx' }],
    ['unsupported source', { text: 'Hello', target: 'fr', source: 'xx' }],
  ])('%s is BAD_USER_INPUT', async (_label, variables) => {
    expect(codes(await en.client.request(TRANSLATE, variables))).toEqual(['BAD_USER_INPUT']);
  });

  it('needs a token', async () => {
    const result = await en.client.request(TRANSLATE, { text: 'Hello', target: 'fr' }, { token: '' });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });
});
