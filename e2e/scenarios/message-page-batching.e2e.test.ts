import { createGroup, EDIT, send, waitForTranslations, type MessageData } from '../support/messaging';
import { startStack, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';
import { isDataSelect } from '../support/sql';

/**
 * Issue: "Batched loading: a page of N messages costs a constant number of queries", through the
 * router: `Conversation.messages` with every field the messages and translations subgraphs
 * resolve per message (the viewer's `text`, `text(language:)` and `translations`, the last two
 * answered by one shared loader) costs the same SQL SELECTs for 2 messages as for 10.
 */

const TEXT = 'language content status isOriginal';
const PAGE = `
  query ($id: ID!, $last: Int!) {
    conversation(id: $id) {
      id
      messages(last: $last) {
        id conversationId seq clientMessageId content originalLanguage version createdAt editedAt deletedAt
        conversation { id }
        sender { id displayName }
        text { ${TEXT} }
        fr: text(language: "fr") { ${TEXT} }
        en: text(language: "en") { ${TEXT} }
        translations {
          messageId sourceLanguage targetLanguage translatedContent translationModel messageVersion fromCache createdAt
        }
      }
    }
  }
`;

interface PageMessage extends Pick<
  MessageData,
  'id' | 'seq' | 'version' | 'originalLanguage' | 'text' | 'translations'
> {
  fr: MessageData['text'];
  en: MessageData['text'];
}

const selects = { messages: [] as string[], translations: [] as string[], users: [] as string[] };
const MEMBER_LANGUAGES = ['en', 'fr', 'es'];
/** Every message is translated into the members' languages other than its own. */
const targetsOf = (message: Pick<MessageData, 'originalLanguage'>) =>
  MEMBER_LANGUAGES.filter((language) => language !== message.originalLanguage);

let stack: Stack;
let en: TestUser;
let fr: TestUser;
let es: TestUser;
let conversationId: string;

beforeAll(async () => {
  stack = await startStack({
    onMessagesQuery: (sql) => isDataSelect(sql) && selects.messages.push(sql),
    onTranslationsQuery: (sql) => isDataSelect(sql) && selects.translations.push(sql),
    onUsersQuery: (sql) => isDataSelect(sql) && selects.users.push(sql),
  });
  [en, fr, es] = await Promise.all([
    signUpUser(stack.routerUrl, 'en', 'en'),
    signUpUser(stack.routerUrl, 'fr', 'fr'),
    signUpUser(stack.routerUrl, 'es', 'es'),
  ]);
  conversationId = (await createGroup(en, [fr, es])).id;
  // Ten messages, English and French in turn, the newest edited once (version 2).
  let newest: MessageData | undefined;
  for (let i = 0; i < 10; i += 1) {
    newest =
      i % 2
        ? await send(fr, conversationId, `bonjour numéro ${i}`)
        : await send(en, conversationId, `hello number ${i}`);
  }
  await fr.client.data(EDIT, { id: newest!.id, content: 'bonjour, modifié' });
  await waitForTranslations(es, conversationId, targetsOf, { expectedCount: 10 });
});
afterAll(() => stack?.stop());

/** SQL SELECTs each subgraph runs while the Spanish viewer reads the newest `last` messages. */
async function selectsForPage(last: number) {
  for (const list of Object.values(selects)) list.length = 0;
  const data = await es.client.data<{ conversation: { messages: PageMessage[] } }>(PAGE, { id: conversationId, last });
  return {
    messages: selects.messages.length,
    translations: selects.translations.length,
    users: selects.users.length,
    page: data.conversation.messages,
  };
}

it('reads a page of N messages with their texts and translations in a constant number of queries', async () => {
  const two = await selectsForPage(2);
  const ten = await selectsForPage(10);

  // The page is complete: every message translated, the viewer's variant in Spanish.
  expect(two.page.map((m) => m.seq)).toEqual([9, 10]);
  expect(ten.page.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(ten.page[9]?.version).toBe(2);
  for (const message of ten.page) {
    expect(message.text).toMatchObject({ language: 'es', status: 'TRANSLATED', isOriginal: false });
    for (const [variant, language] of [
      [message.fr, 'fr'],
      [message.en, 'en'],
    ] as const) {
      expect(variant).toMatchObject({
        language,
        status: language === message.originalLanguage ? 'ORIGINAL' : 'TRANSLATED',
      });
    }
    expect(message.translations.map((t) => t.targetLanguage).sort()).toEqual(targetsOf(message).sort());
    expect(message.translations.every((t) => t.messageVersion === message.version)).toBe(true);
  }

  // The counters see the queries at all ...
  expect(two.messages).toBeGreaterThan(0);
  expect(two.translations).toBeGreaterThan(0);
  // ... and five times the messages cost no more of them.
  expect(ten.messages).toBe(two.messages);
  expect(ten.translations).toBe(two.translations);
  expect(ten.users).toBe(two.users);
  // users: the senders (one batch) and the viewer's language preferences (once per request).
  expect(ten.users).toBeLessThanOrEqual(2);
  // messages: the page (one LATERAL query). translations: every stored row of the page's
  // (message, version) pairs, shared by `text`, `text(language:)` and `translations`.
  expect(ten.messages).toBe(1);
  expect(ten.translations).toBe(1);
});
