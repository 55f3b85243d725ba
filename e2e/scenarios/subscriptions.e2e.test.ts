import type { Client as WsClient } from 'graphql-ws';
import { createGroup, history, send, waitFor } from '../support/messaging';
import pg from 'pg';
import { startStack, TEST_DATABASE_URL, type Stack } from '../support/stack';
import { connect, subscribe, untilSubscribed } from '../support/subscriptions';
import { signUpUser, type TestUser } from '../support/users';

const MESSAGE_ADDED = `
  subscription Added($conversationId: ID!) {
    messageAdded(conversationId: $conversationId) {
      id seq content originalLanguage version
      text { language content status isOriginal }
      sender { id displayName }
    }
  }`;
const MESSAGE_UPDATED = `
  subscription Updated($conversationId: ID!) {
    messageUpdated(conversationId: $conversationId) {
      id seq version content deletedAt
      text { language content status }
    }
  }`;
const TYPING = `subscription ($conversationId: ID!) { typing(conversationId: $conversationId) { conversationId isTyping user { id } } }`;
const READ_RECEIPTS = `subscription ($conversationId: ID!) { readReceipts(conversationId: $conversationId) { conversationId lastReadSeq user { id } } }`;
const EDIT = `mutation ($id: ID!, $content: String!) { editMessage(id: $id, content: $content) { id version } }`;
const SET_TYPING = `mutation ($conversationId: ID!, $isTyping: Boolean!) { setTyping(conversationId: $conversationId, isTyping: $isTyping) }`;
const MARK_READ = `mutation ($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) { lastReadSeq } }`;
const LEAVE = `mutation ($conversationId: ID!) { leaveConversation(conversationId: $conversationId) }`;
const PREFERENCES = `mutation ($input: LanguagePreferencesInput!) { updateLanguagePreferences(input: $input) { preferredLanguage } }`;

interface AddedData {
  messageAdded: {
    id: string;
    seq: number;
    content: string;
    originalLanguage: string;
    text: { language: string; content: string; status: string; isOriginal: boolean };
  };
}
interface UpdatedData {
  messageUpdated: { id: string; version: number; deletedAt: string | null; text: { language: string; status: string } };
}

describe('subscriptions through the router: each subscriber gets its own variant', () => {
  let stack: Stack;
  let sender: TestUser;
  let fr: TestUser;
  let es: TestUser;
  let en: TestUser;
  let outsider: TestUser;
  let conversationId: string;
  const clients: WsClient[] = [];
  const open = (user: TestUser) => {
    const client = connect(stack.routerUrl, user.token);
    clients.push(client);
    return client;
  };
  const hubStats = () => stack.router!.subscriptions.stats;
  const connectTo = (routerUrl: string, user: TestUser) => {
    const client = connect(routerUrl, user.token);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    stack = await startStack({ env: { TYPING_TTL_MS: '400' } });
    [sender, fr, es, en, outsider] = await Promise.all([
      signUpUser(stack.routerUrl, 'en', 'sender'),
      signUpUser(stack.routerUrl, 'fr', 'fr-reader'),
      signUpUser(stack.routerUrl, 'es', 'es-reader'),
      signUpUser(stack.routerUrl, 'en', 'en-reader'),
      signUpUser(stack.routerUrl, 'de', 'outsider'),
    ]);
    conversationId = (await createGroup(sender, [fr, es, en])).id;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.dispose();
    if (!stack?.router) return;
    await waitFor(async () => (hubStats().subscribers === 0 ? true : undefined), { what: 'subscribers to end' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers exactly one messageAdded per message to fr, en and es readers, each in its own language, in seq order', async () => {
    const readers = [fr, es, en].map((user) => subscribe<AddedData>(open(user), MESSAGE_ADDED, { conversationId }));
    await untilSubscribed(hubStats, 3);
    const sent = [];
    for (let i = 1; i <= 3; i += 1)
      sent.push(await send(sender, conversationId, `Hello number ${i}, how are you today?`));
    await Promise.all(readers.map((reader) => reader.untilCount(3)));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const [frReader, esReader, enReader] = readers;
    for (const [reader, language] of [
      [frReader!, 'fr'],
      [esReader!, 'es'],
      [enReader!, 'en'],
    ] as const) {
      expect(reader.errors).toBeUndefined();
      const added = reader.data.map((data) => data.messageAdded);
      expect(added.map((message) => message.id)).toEqual(sent.map((message) => message.id));
      expect(added.map((message) => message.seq)).toEqual(sent.map((message) => message.seq));
      for (const message of added) {
        expect(message.text.language).toBe(language);
        expect(message.text.status).toBe(language === 'en' ? 'ORIGINAL' : 'TRANSLATED');
        expect(message.text.isOriginal).toBe(language === 'en');
      }
    }
  });

  it('resolves once per group of subscribers who read the same thing, not once per subscriber', async () => {
    const second = await signUpUser(stack.routerUrl, 'fr', 'fr-reader-2');
    await sender.client.data(
      `mutation ($c: ID!, $u: ID!) { addConversationMember(conversationId: $c, userId: $u) { id } }`,
      {
        c: conversationId,
        u: second.id,
      },
    );
    const readers = [fr, second, fr, es, en].map((user) =>
      subscribe<AddedData>(open(user), MESSAGE_ADDED, { conversationId }),
    );
    await untilSubscribed(hubStats, 5);
    const before = hubStats();
    await send(sender, conversationId, 'Group resolution check');
    await Promise.all(readers.map((reader) => reader.untilCount(1)));
    // Three groups: fr (three subscribers, two users), es, en.
    expect(hubStats().resolutions - before.resolutions).toBe(3);
    // Per group the plan has three fetches (messages, then translations and users), but only the
    // translations fetch depends on the language: 1 + 3 + 1 subgraph requests, not 9.
    await waitFor(async () => (hubStats().fetches - before.fetches >= 5 ? true : undefined));
    expect(hubStats().fetches - before.fetches).toBe(5);
  });

  it('after the translation deadline sends the original as PENDING, then messageUpdated once it is stored', async () => {
    const impatient = await stack.startRouter({ TRANSLATION_DEADLINE_MS: '1', SUBSCRIPTION_REORDER_WINDOW_MS: '0' });
    const added = subscribe<AddedData>(connectTo(impatient.url, fr), MESSAGE_ADDED, { conversationId });
    const updated = subscribe<UpdatedData>(connectTo(impatient.url, fr), MESSAGE_UPDATED, { conversationId });
    await untilSubscribed(() => impatient.subscriptions.stats, 2);
    const message = await send(sender, conversationId, 'Too slow to translate within a millisecond');
    await updated.until((self) => self.data.some((d) => d.messageUpdated.id === message.id));
    expect(added.data.map((d) => d.messageAdded)).toEqual([
      expect.objectContaining({
        id: message.id,
        content: message.content,
        text: { language: 'fr', content: message.content, status: 'PENDING', isOriginal: true },
      }),
    ]);
    expect(updated.data.map((d) => d.messageUpdated)).toEqual([
      expect.objectContaining({
        id: message.id,
        version: 1,
        text: { language: 'fr', content: expect.any(String), status: 'TRANSLATED' },
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(added.results).toHaveLength(1);
    expect(updated.results).toHaveLength(1);
  });

  it('delivers the first message of a new feed without waiting for the reorder window', async () => {
    // A router whose reorder window is far longer than the test: only knowing the feed's start helps.
    const patient = await stack.startRouter({ SUBSCRIPTION_REORDER_WINDOW_MS: '60000' });
    const reader = subscribe<AddedData>(connectTo(patient.url, en), MESSAGE_ADDED, { conversationId });
    // Live only once the feed knows its start: no wait needed here.
    await untilSubscribed(() => patient.subscriptions.stats, 1);
    const message = await send(sender, conversationId, 'First words on a fresh feed');
    await reader.untilCount(1, 10_000);
    expect(reader.data[0]!.messageAdded.id).toBe(message.id);
  });

  it('stops a member whose leaving was never announced, at the next access sweep', async () => {
    const swept = await stack.startRouter({ SUBSCRIPTION_ACCESS_SWEEP_MS: '200' });
    const ghost = await signUpUser(stack.routerUrl, 'es', 'ghost');
    const group = await createGroup(sender, [ghost]);
    const watched = subscribe<AddedData>(connectTo(swept.url, ghost), MESSAGE_ADDED, { conversationId: group.id });
    const stays = subscribe<AddedData>(connectTo(swept.url, sender), MESSAGE_ADDED, { conversationId: group.id });
    await untilSubscribed(() => swept.subscriptions.stats, 2);
    // Removed behind the services' backs: no membership event is ever published.
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query('delete from conversations.membership where conversation_id = $1 and user_id = $2', [
        group.id,
        ghost.id,
      ]);
    } finally {
      await db.end();
    }
    await watched.until(
      (self) => self.results.some((result) => result.errors?.length) || self.errors !== undefined,
      10_000,
    );
    const codes = [...watched.results.flatMap((result) => result.errors ?? []), ...(watched.errors ?? [])].map(
      (error) => error.extensions?.code,
    );
    expect(codes).toContain('FORBIDDEN');
    await send(sender, group.id, 'Only for those still here');
    await stays.untilCount(1);
    expect(watched.data).toEqual([]);
  });

  it('refuses a non-member with FORBIDDEN and no data', async () => {
    const refused = subscribe(open(outsider), MESSAGE_ADDED, { conversationId });
    await refused.until((self) => self.errors !== undefined);
    expect(refused.errors!.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(refused.results).toEqual([]);
  });

  it('sends edits as messageUpdated in each subscriber language', async () => {
    const message = await send(sender, conversationId, 'Before the edit');
    // Its version-1 translations stored first: one stored after the readers subscribed would reach
    // them too (as a translation they never had), ahead of the edit.
    await waitFor(async () => {
      const { messages } = await history(fr, conversationId);
      const stored = messages.find((m) => m.id === message.id)?.translations.length ?? 0;
      return stored >= 2 ? true : undefined;
    });
    const readers = [fr, en].map((user) => subscribe<UpdatedData>(open(user), MESSAGE_UPDATED, { conversationId }));
    await untilSubscribed(hubStats, 2);
    await sender.client.data(EDIT, { id: message.id, content: 'After the edit, with new words' });
    await Promise.all(readers.map((reader) => reader.untilCount(1)));
    const [frUpdate, enUpdate] = readers.map((reader) => reader.data[0]!.messageUpdated);
    expect(frUpdate).toMatchObject({ id: message.id, version: 2, text: { language: 'fr', status: 'TRANSLATED' } });
    expect(enUpdate).toMatchObject({ id: message.id, version: 2, text: { language: 'en', status: 'ORIGINAL' } });
  });

  it("does not hold a message edited right after it was sent for the replaced version's translation", async () => {
    // A deadline far beyond the test: the messageAdded must open on the new version's translation.
    const patient = await stack.startRouter({ TRANSLATION_DEADLINE_MS: '60000' });
    const added = subscribe<AddedData>(connectTo(patient.url, fr), MESSAGE_ADDED, { conversationId });
    const updated = subscribe<UpdatedData>(connectTo(patient.url, fr), MESSAGE_UPDATED, { conversationId });
    await untilSubscribed(() => patient.subscriptions.stats, 2);
    const message = await send(sender, conversationId, 'Sent, and corrected at once');
    await sender.client.data(EDIT, { id: message.id, content: 'Sent, and corrected straight away' });
    await added.untilCount(1, 20_000);
    expect(added.data[0]!.messageAdded).toMatchObject({
      id: message.id,
      version: 2,
      content: 'Sent, and corrected straight away',
      text: { language: 'fr', status: 'TRANSLATED', isOriginal: false },
    });
    await updated.until((self) => self.data.some((d) => d.messageUpdated.version === 2), 20_000);
  });

  it('shares typing with the others, never echoes it, and lets it lapse by itself', async () => {
    const watcher = subscribe<{ typing: { isTyping: boolean; user: { id: string } } }>(open(fr), TYPING, {
      conversationId,
    });
    const actor = subscribe(open(sender), TYPING, { conversationId });
    await untilSubscribed(hubStats, 2);
    await sender.client.data(SET_TYPING, { conversationId, isTyping: true });
    await watcher.untilCount(2, 5_000);
    expect(watcher.data.map((data) => data.typing)).toEqual([
      { conversationId, isTyping: true, user: { id: sender.id } },
      { conversationId, isTyping: false, user: { id: sender.id } },
    ]);
    expect(actor.results).toEqual([]);
  });

  it('shares read receipts with the others, never with the reader', async () => {
    const message = await send(sender, conversationId, 'Read me');
    const watcher = subscribe<{ readReceipts: { lastReadSeq: number; user: { id: string } } }>(
      open(sender),
      READ_RECEIPTS,
      { conversationId },
    );
    const actor = subscribe(open(es), READ_RECEIPTS, { conversationId });
    await untilSubscribed(hubStats, 2);
    await es.client.data(MARK_READ, { conversationId, seq: message.seq });
    await watcher.untilCount(1);
    expect(watcher.data[0]!.readReceipts).toEqual({ conversationId, lastReadSeq: message.seq, user: { id: es.id } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(actor.results).toEqual([]);
  });

  it('applies a change of language preferences to the next events', async () => {
    const reader = subscribe<AddedData>(open(en), MESSAGE_ADDED, { conversationId });
    await untilSubscribed(hubStats, 1);
    await en.client.data(PREFERENCES, {
      input: { customDestinationLanguage: 'de', useCustomDestination: true },
    });
    await waitFor(
      async () => {
        await send(sender, conversationId, 'Which language now?');
        const last = reader.data.at(-1)?.messageAdded;
        return last?.text.language === 'de' ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500, what: 'the new language' },
    );
    await en.client.data(PREFERENCES, { input: { useCustomDestination: false } });
  });

  it('stops delivering to a member who leaves, with FORBIDDEN', async () => {
    const leaver = await signUpUser(stack.routerUrl, 'en', 'leaver');
    await sender.client.data(
      `mutation ($c: ID!, $u: ID!) { addConversationMember(conversationId: $c, userId: $u) { id } }`,
      {
        c: conversationId,
        u: leaver.id,
      },
    );
    const reader = subscribe<AddedData>(open(leaver), MESSAGE_ADDED, { conversationId });
    await untilSubscribed(hubStats, 1);
    await leaver.client.data(LEAVE, { conversationId });
    await reader.until((self) => self.results.some((result) => result.errors?.length) || self.errors !== undefined);
    const codes = [...reader.results.flatMap((result) => result.errors ?? []), ...(reader.errors ?? [])].map(
      (error) => error.extensions?.code,
    );
    expect(codes).toContain('FORBIDDEN');
    await send(sender, conversationId, 'After the leave');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reader.data).toEqual([]);
  });
});
