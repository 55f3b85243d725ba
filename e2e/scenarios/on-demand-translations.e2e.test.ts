import { TRANSLATION_EVENT_PATTERN, type TranslationEvent } from '@parley/common';
import { Redis } from 'ioredis';
import pg from 'pg';
import { rabbitmq, startTranslatorProcess, type TranslatorProcess } from '../support/faults';
import { createGroup, send, waitFor, waitForTranslations, type LocalizedText } from '../support/messaging';
import { startStack, TEST_DATABASE_URL, type Stack } from '../support/stack';
import { connect, subscribe, untilSubscribed } from '../support/subscriptions';
import { signUpUser, type TestUser } from '../support/users';

/**
 * Variants outside the member languages at send time (issue #3): a reader who asks for one gets
 * PENDING at once, and the translations subgraph queues one on-demand job that the translator
 * turns into exactly one row per (message, language, version), announced like any other, so the
 * router's subscriptions deliver it. And a translator started while RabbitMQ is down consumes once
 * the broker is back.
 */

const TEXT_IN = (alias: string, language: string) =>
  `${alias}: text(language: "${language}") { language content status isOriginal }`;
const LAST_MESSAGE = (selection: string) => `
  query ($id: ID!) { conversation(id: $id) { messages(last: 1) { id version content ${selection} } } }`;
const MESSAGE_UPDATED = `subscription ($conversationId: ID!) {
  messageUpdated(conversationId: $conversationId) { id text { language content status isOriginal } }
}`;
const ADD_MEMBER = `mutation ($c: ID!, $u: ID!) { addConversationMember(conversationId: $c, userId: $u) { id } }`;

interface Row {
  target_language: string;
  message_version: number;
  status: string;
}

let db: pg.Client;
let redis: Redis;
const translationEvents: TranslationEvent[] = [];

beforeAll(async () => {
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redis.on('pmessage', (_pattern, _channel, message: string) => {
    translationEvents.push(JSON.parse(message) as TranslationEvent);
  });
  await redis.psubscribe(TRANSLATION_EVENT_PATTERN);
});

afterAll(async () => {
  redis?.disconnect();
  await db?.end();
});

async function rows(messageId: string): Promise<Row[]> {
  const result = await db.query<Row>(
    `select target_language, message_version, status from translations.message_translation
      where message_id = $1 order by target_language, message_version`,
    [messageId],
  );
  return result.rows;
}

const storedEvents = (messageId: string, language: string) =>
  translationEvents.filter(
    (event) =>
      event.messageId === messageId && event.targetLanguage === language && event.type === 'translation.stored',
  );

/** `alias: text(language:)` of the conversation's newest message, as `reader` reads it. */
async function textOfLast(reader: TestUser, conversationId: string, language: string): Promise<LocalizedText> {
  const data = await reader.client.data<{ conversation: { messages: Array<{ x: LocalizedText }> } }>(
    LAST_MESSAGE(TEXT_IN('x', language)),
    { id: conversationId },
  );
  return data.conversation.messages[0]!.x;
}

describe('on-demand translations through the router', () => {
  let stack: Stack;
  let en: TestUser;
  let fr: TestUser;

  beforeAll(async () => {
    stack = await startStack();
    [en, fr] = await Promise.all([
      signUpUser(stack.routerUrl, 'en', 'en-sender'),
      signUpUser(stack.routerUrl, 'fr', 'fr-reader'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('a language nobody in the conversation reads is PENDING at once, then TRANSLATED, with one row', async () => {
    const group = await createGroup(en, [fr]);
    expect([...group.languages].sort()).toEqual(['en', 'fr']);
    const message = await send(en, group.id, 'The meeting moves to Thursday afternoon', { originalLanguage: 'en' });

    const first = await textOfLast(fr, group.id, 'de');
    expect(first).toEqual({ language: 'de', content: message.content, status: 'PENDING', isOriginal: true });

    const translated = await waitFor(
      async () => {
        const text = await textOfLast(fr, group.id, 'de');
        return text.status === 'TRANSLATED' ? text : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'the de variant' },
    );
    expect(translated).toMatchObject({ language: 'de', isOriginal: false });
    expect(translated.content).not.toBe('');
    await waitFor(async () => ((await rows(message.id)).length === 2 ? true : undefined));
    expect(await rows(message.id)).toEqual([
      { target_language: 'de', message_version: 1, status: 'TRANSLATED' },
      { target_language: 'fr', message_version: 1, status: 'TRANSLATED' },
    ]);
    await waitFor(async () => (storedEvents(message.id, 'de').length > 0 ? true : undefined));
    expect(storedEvents(message.id, 'de')).toHaveLength(1);
  });

  it('a member who joins with a new language reads the older messages in it, translated once', async () => {
    const group = await createGroup(en, [fr]);
    const message = await send(en, group.id, 'Welcome to the project channel', { originalLanguage: 'en' });
    await waitForTranslations(fr, group.id, () => ['fr']);

    const it = await signUpUser(stack.routerUrl, 'it', 'it-joiner');
    await en.client.data(ADD_MEMBER, { c: group.id, u: it.id });
    // The joiner's app follows the conversation: the translation it asks for arrives as an update.
    const socket = connect(stack.routerUrl, it.token);
    const updates = subscribe<{ messageUpdated: { id: string; text: LocalizedText } }>(socket, MESSAGE_UPDATED, {
      conversationId: group.id,
    });
    await untilSubscribed(() => stack.router!.subscriptions.stats, 1);
    // The joiner's own variant (no argument): Italian, which nobody read when the message was sent.
    const read = async () => {
      const data = await it.client.data<{ conversation: { messages: Array<{ text: LocalizedText }> } }>(
        LAST_MESSAGE('text { language content status isOriginal }'),
        { id: group.id },
      );
      return data.conversation.messages[0]!.text;
    };
    expect(await read()).toEqual({ language: 'it', content: message.content, status: 'PENDING', isOriginal: true });
    const translated = await waitFor(
      async () => {
        const text = await read();
        return text.status === 'TRANSLATED' ? text : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'the it variant' },
    );
    expect(translated).toMatchObject({ language: 'it', isOriginal: false });
    expect((await rows(message.id)).filter((row) => row.target_language === 'it')).toEqual([
      { target_language: 'it', message_version: 1, status: 'TRANSLATED' },
    ]);
    // Announced like any translation (the router's subscription layer listens to these).
    await waitFor(async () => (storedEvents(message.id, 'it').length > 0 ? true : undefined));
    expect(storedEvents(message.id, 'it')).toHaveLength(1);
    await updates.untilCount(1, 10_000);
    expect(updates.data).toEqual([{ messageUpdated: { id: message.id, text: { ...translated } } }]);
    await socket.dispose();
  });

  it('many readers asking at once make one job and one row', async () => {
    const group = await createGroup(en, [fr]);
    const message = await send(en, group.id, 'Quarterly numbers are in the shared folder', { originalLanguage: 'en' });
    await waitForTranslations(fr, group.id, () => ['fr']);
    const before = stack.translatorStats()!.requests.acked;

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => textOfLast(i % 2 ? fr : en, group.id, 'es')),
    );
    // The tiny model is quick: the last of them may already read it translated.
    expect(answers.some((answer) => answer.status === 'PENDING')).toBe(true);
    expect(answers.every((answer) => ['PENDING', 'TRANSLATED'].includes(answer.status))).toBe(true);
    await waitFor(
      async () => {
        const text = await textOfLast(fr, group.id, 'es');
        return text.status === 'TRANSLATED' ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'the es variant' },
    );
    // Readers of a TRANSLATED variant queue nothing either.
    await Promise.all(Array.from({ length: 5 }, () => textOfLast(fr, group.id, 'es')));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stack.translatorStats()!.requests.acked - before).toBe(1);
    expect((await rows(message.id)).filter((row) => row.target_language === 'es')).toHaveLength(1);
    expect(storedEvents(message.id, 'es')).toHaveLength(1);
  });
});

describe('a translator started while RabbitMQ is down', () => {
  let stack: Stack;
  let translator: TranslatorProcess | undefined;

  beforeAll(async () => {
    stack = await startStack({ translator: 'none' });
  }, 120_000);

  afterAll(async () => {
    await rabbitmq.start().catch(() => {});
    await translator?.stop();
    await stack?.stop();
  }, 120_000);

  it('serves /health, then consumes once the broker is back: a message sent gets translated', async () => {
    const [en, fr] = await Promise.all([
      signUpUser(stack.routerUrl, 'en', 'en-outage'),
      signUpUser(stack.routerUrl, 'fr', 'fr-outage'),
    ]);
    const group = await createGroup(en, [fr]);
    try {
      await rabbitmq.stop();
      translator = await startTranslatorProcess(stack.env, { until: 'health' });
      const ready = await fetch(`${translator.url}/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { down: string[] }).down).toContain('rabbitmq');
    } finally {
      // Keep the outage short: other suites share this broker.
      await rabbitmq.start();
    }
    await waitFor(async () => ((await fetch(`${translator!.url}/ready`)).status === 200 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'the translator to consume',
    });
    const message = await send(en, group.id, 'Sent after the broker came back', { originalLanguage: 'en' });
    await waitForTranslations(fr, group.id, () => ['fr'], { timeoutMs: 60_000 });
    expect(await rows(message.id)).toEqual([{ target_language: 'fr', message_version: 1, status: 'TRANSLATED' }]);
  }, 240_000);
});
