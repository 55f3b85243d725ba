import { startStack, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';
import { isDataSelect } from '../support/sql';

const LIST = `{ myConversations { id title languages members { role joinedAt user { id displayName preferredLanguage } } } }`;
const CREATE = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`;

const queries = { conversations: [] as string[], users: [] as string[] };

let stack: Stack;
let others: TestUser[];

beforeAll(async () => {
  stack = await startStack({
    onConversationsQuery: (sql) => isDataSelect(sql) && queries.conversations.push(sql),
    onUsersQuery: (sql) => isDataSelect(sql) && queries.users.push(sql),
  });
  others = await Promise.all(
    ['fr', 'es', 'de', 'ja'].map((language) => signUpUser(stack.routerUrl, language, language)),
  );
});
afterAll(() => stack.stop());

/** SQL SELECTs each subgraph runs to list `count` conversations with all their members. */
async function selectsToList(count: number): Promise<{ conversations: number; users: number; listed: number }> {
  const viewer = await signUpUser(stack.routerUrl, 'en', `viewer-${count}`);
  for (let i = 0; i < count; i += 1) {
    await viewer.client.data(CREATE, {
      input: { kind: 'GROUP', title: `g${i}`, memberIds: others.slice(0, 1 + (i % others.length)).map((o) => o.id) },
    });
  }
  queries.conversations.length = 0;
  queries.users.length = 0;
  const data = await viewer.client.data<{ myConversations: Array<{ members: unknown[] }> }>(LIST);
  return {
    conversations: queries.conversations.length,
    users: queries.users.length,
    listed: data.myConversations.length,
  };
}

it('lists N conversations with their members in a constant number of queries', async () => {
  const two = await selectsToList(2);
  const eight = await selectsToList(8);
  expect(two.listed).toBe(2);
  expect(eight.listed).toBe(8);
  expect(two.conversations).toBeGreaterThan(0); // the counter sees the queries at all
  expect(two.users).toBeGreaterThan(0);
  expect(eight.conversations).toBe(two.conversations);
  expect(eight.users).toBe(two.users);
  // memberships of the viewer, conversations, members of all of them (as entities for `members`,
  // as bare ids for `memberIds`, which `languages` requires: a lean query for large groups).
  expect(eight.conversations).toBeLessThanOrEqual(4);
  // the member users (entities) and the languages (@requires) — one batch each at most.
  expect(eight.users).toBeLessThanOrEqual(2);
});
