import { randomUUID } from 'node:crypto';
import pg from 'pg';
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
import { startStack, TEST_DATABASE_URL, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';

const PREFS = `mutation ($input: LanguagePreferencesInput!) { updateLanguagePreferences(input: $input) { preferredLanguage } }`;
const TEXT_IN = `query ($id: ID!) { conversation(id: $id) { messages(last: 1) { id text(language: de) { language content status isOriginal } } } }`;
/** `translations` without `text`: the router then sends the translations subgraph no content or language. */
const TRANSLATIONS_ONLY = `query ($id: ID!) { conversation(id: $id) { messages(last: 200) { seq translations { targetLanguage messageVersion } } } }`;
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
let db: pg.Client;

/** The languages a message must be translated into: the members' languages other than its own. */
const targetsOf = (message: Pick<MessageData, 'originalLanguage'>) =>
  ['en', 'fr', 'es'].filter((language) => language !== message.originalLanguage);

/** The translations subgraph's stored rows of one message, read from its table: `language/version/status`. */
async function storedTranslations(messageId: string): Promise<string[]> {
  const { rows } = await db.query<{ target_language: string; message_version: number; status: string }>(
    `select target_language, message_version, status from translations.message_translation
      where message_id = $1 order by message_version, target_language`,
    [messageId],
  );
  return rows.map((row) => `${row.target_language}/${row.message_version}/${row.status}`);
}

/** Whether the translator has recorded the message's deletion (which drops its rows in the same transaction). */
async function deletionRecorded(messageId: string): Promise<true | undefined> {
  const { rows } = await db.query<{ deleted: boolean }>(
    'select deleted_at is not null as deleted from translations.message_state where message_id = $1',
    [messageId],
  );
  return rows[0]?.deleted ? true : undefined;
}

/** The first message's targets also hold German, which the first test reads (and so requests). */
const withRequestedDe = (message: Pick<MessageData, 'originalLanguage' | 'seq'>) =>
  message.seq === 1 ? [...targetsOf(message), 'de'] : targetsOf(message);

beforeAll(async () => {
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
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
afterAll(async () => {
  await stack?.stop();
  await db?.end();
});

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

  it('lists the translations when the selection asks for nothing else of the message', async () => {
    const data = await fr.client.data<{
      conversation: { messages: Array<{ seq: number; translations: Array<{ targetLanguage: string }> }> };
    }>(TRANSLATIONS_ONLY, { id: conversationId });
    const first = data.conversation.messages.find((m) => m.seq === 1)!;
    expect(first.translations.map((t) => t.targetLanguage).sort()).toEqual(['de', 'es', 'fr']);
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
    expect(await storedTranslations(sent.id)).toEqual(['es/1/TRANSLATED', 'fr/1/TRANSLATED']);
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
    // In the table too: the version-1 rows went when version 2 was recorded, before any of its rows.
    expect(await storedTranslations(sent.id)).toEqual(['es/2/TRANSLATED', 'fr/2/TRANSLATED']);
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
    // Once the translator has recorded the deletion no row remains, and none can be written later.
    await waitFor(() => deletionRecorded(sent.id), { what: 'deletion recorded' });
    expect(await storedTranslations(sent.id)).toEqual([]);
  });

  it('drops the stored translation rows of a deleted message from the table', async () => {
    const group = await createGroup(en, [fr, es]);
    const sent = await send(en, group.id, 'Translated first, deleted after.', { originalLanguage: 'en' });
    await waitForTranslations(fr, group.id, targetsOf);
    expect(await storedTranslations(sent.id)).toEqual(['es/1/TRANSLATED', 'fr/1/TRANSLATED']);
    await en.client.data(DELETE, { id: sent.id });
    await waitFor(() => deletionRecorded(sent.id), { what: 'deletion recorded' });
    expect(await storedTranslations(sent.id)).toEqual([]);
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

  it('refuses an edit over 4000 characters with BAD_USER_INPUT and keeps the message as it was', async () => {
    const sent = await send(en, conversationId, 'Not to be made longer.', { originalLanguage: 'en' });
    const result = await en.client.request(EDIT, { id: sent.id, content: 'a'.repeat(4001) });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.data).toBeNull();
    const unchanged = (await history(en, conversationId)).messages.find((m) => m.id === sent.id)!;
    expect(unchanged).toMatchObject({ version: 1, content: 'Not to be made longer.', editedAt: null, deletedAt: null });
  });

  it('answers NOT_FOUND for a conversation that does not exist', async () => {
    const result = await en.client.request(SEND, {
      input: { conversationId: randomUUID(), content: 'Hello?', clientMessageId: randomUUID() },
    });
    expect(codes(result)).toEqual(['NOT_FOUND']);
  });
});

describe('mutations without a valid token', () => {
  // The contract fixes the code; both are HTTP 401, as for queries (auth.e2e.test.ts).
  it.each([
    ['no token', ''],
    ['an invalid token', 'not.a.jwt'],
  ])(
    'refuses sendMessage, editMessage and deleteMessage with %s as UNAUTHENTICATED (HTTP 401) and changes nothing',
    async (_label, token) => {
      const sent = await send(en, conversationId, 'Only my token may change this.', { originalLanguage: 'en' });
      const before = await history(en, conversationId);
      const results = [
        await en.client.request(
          SEND,
          { input: { conversationId, content: 'Who am I?', clientMessageId: randomUUID() } },
          { token },
        ),
        await en.client.request(EDIT, { id: sent.id, content: 'Changed without a token' }, { token }),
        await en.client.request(DELETE, { id: sent.id }, { token }),
      ];
      for (const result of results) {
        expect(result.status).toBe(401);
        expect(codes(result)).toEqual(['UNAUTHENTICATED']);
        expect(result.data ?? null).toBeNull();
      }
      const after = await history(en, conversationId);
      expect(after.lastSeq).toBe(before.lastSeq);
      expect(after.messages.find((m) => m.id === sent.id)).toMatchObject({
        version: 1,
        content: 'Only my token may change this.',
        editedAt: null,
        deletedAt: null,
      });
    },
  );
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
    ['text over 4000 characters', { text: 'a'.repeat(4001), target: 'fr', source: 'en' }],
    ['unsupported target', { text: 'Hello', target: 'xx' }],
    ['unsupported source', { text: 'Hello', target: 'fr', source: 'xx' }],
  ])('%s is BAD_USER_INPUT', async (_label, variables) => {
    expect(codes(await en.client.request(TRANSLATE, variables))).toEqual(['BAD_USER_INPUT']);
  });

  it('needs a token', async () => {
    const result = await en.client.request(TRANSLATE, { text: 'Hello', target: 'fr' }, { token: '' });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('accepts exactly 4000 characters', async () => {
    // Source and target alike: the text comes back as it is, without a model run.
    const result = await en.client.request(TRANSLATE, { text: 'é'.repeat(4000), target: 'fr', source: 'fr' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.translate.translatedContent).toBe('é'.repeat(4000));
  });

  it('translates 4000 characters of two UTF-16 units each through the model', async () => {
    // 8000 UTF-16 units: every service counts characters as the contract does, in code points.
    const text = `${'😀'.repeat(3992)} ${randomUUID().slice(0, 7)}`;
    const result = await en.client.request(TRANSLATE, { text, target: 'fr', source: 'en' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.translate).toMatchObject({ translationModel: 'test-tiny', fromCache: false });
  });

  it('limits calls per user with RATE_LIMITED, counting no refused input, while another user is served', async () => {
    const limited = await startStack({ env: { TRANSLATE_RATE_LIMIT: '3' } });
    try {
      const [heavy, other] = await Promise.all([
        signUpUser(limited.routerUrl, 'en', 'heavy'),
        signUpUser(limited.routerUrl, 'en', 'other'),
      ]);
      const translate = (who: TestUser, text: string) =>
        who.client.request(TRANSLATE, { text, target: 'fr', source: 'en' });
      // Refused input reaches neither the translator nor the user's allowance.
      const statsBefore = limited.translatorStats();
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect(codes(await translate(heavy, 'a'.repeat(4001)))).toEqual(['BAD_USER_INPUT']);
      }
      expect(limited.translatorStats()).toEqual(statsBefore);
      for (let call = 0; call < 3; call += 1) {
        const served = await translate(heavy, `Rate limited call ${call}`);
        expect(served.errors).toBeUndefined();
        expect(served.data?.translate).toMatchObject({ targetLanguage: 'fr', translationModel: 'test-tiny' });
      }
      const blocked = await translate(heavy, 'One call too many');
      expect(codes(blocked)).toEqual(['RATE_LIMITED']);
      expect(blocked.data ?? null).toBeNull();
      expect(blocked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      // The allowance is per user: another one is still served.
      const served = await translate(other, 'Another user, another allowance');
      expect(served.errors).toBeUndefined();
      expect(served.data?.translate).toMatchObject({ targetLanguage: 'fr', translationModel: 'test-tiny' });
    } finally {
      await limited.stop();
    }
  });
});
