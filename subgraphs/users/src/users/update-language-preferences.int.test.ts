import { randomUUID } from 'node:crypto';
import {
  createLogger,
  USER_PREFERENCES_CHANNEL,
  type RunningSubgraph,
  type UserPreferencesEvent,
} from '@parley/common';
import { signedGraphql } from '@parley/common/testing';
import { Redis } from 'ioredis';
import { startUsersSubgraph } from '../app';
import { loadUsersConfig } from '../config';

/*
 * updateLanguagePreferences announces `preferences.changed` on USER_PREFERENCES_CHANNEL after the
 * change commits, so routers re-read a subscriber's variant settings; observed here as a router's
 * subscriber would, with an ioredis subscriber.
 */

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`;
const UPDATE = `mutation ($input: LanguagePreferencesInput!) {
  updateLanguagePreferences(input: $input) { preferredLanguage autoTranslateEnabled }
}`;
const VARIANT_SETTINGS = `query ($r: [_Any!]!) {
  _entities(representations: $r) { ... on User { id preferredLanguage autoTranslateEnabled } }
}`;

const signed = <T = Record<string, any>>(url: string, userId: string, query: string, variables = {}) =>
  signedGraphql<T>(url, query, variables, { userId, clientIp: '127.0.0.1' });

const logger = createLogger('users-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const env = { NODE_ENV: 'test', DATABASE_URL, REDIS_URL, USERS_PORT: '0' };
let users: RunningSubgraph;
let subscriber: Redis;
const events: UserPreferencesEvent[] = [];
const waiters = new Set<() => void>();

beforeAll(async () => {
  users = await startUsersSubgraph(loadUsersConfig(env), { logger });
  subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  subscriber.on('message', (_channel: string, raw: string) => {
    events.push(JSON.parse(raw) as UserPreferencesEvent);
    for (const wake of waiters) wake();
  });
  await subscriber.subscribe(USER_PREFERENCES_CHANNEL);
});

afterAll(async () => {
  await subscriber?.quit();
  await users?.stop();
});

async function signUp(url: string, systemLanguage: string): Promise<string> {
  const reply = await signed<{ signUp: { user: { id: string } } }>(url, '', SIGN_UP, {
    input: {
      email: `preferences-${randomUUID()}@example.test`,
      password: 'correct horse battery',
      displayName: 'preferences test',
      systemLanguage,
    },
  });
  if (!reply.data) throw new Error(JSON.stringify(reply.errors));
  return reply.data.signUp.user.id;
}

const update = (url: string, userId: string, input: Record<string, unknown>) =>
  signed<{ updateLanguagePreferences: { preferredLanguage: string; autoTranslateEnabled: boolean } }>(
    url,
    userId,
    UPDATE,
    { input },
  );

const eventsOf = (userId: string) => events.filter((event) => event.userId === userId);

/** Waits until `userId` has `count` events (events arrive in publish order on one connection). */
function eventCount(userId: string, count: number, timeoutMs = 5_000): Promise<UserPreferencesEvent[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (eventsOf(userId).length < count) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(eventsOf(userId));
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`expected ${count} events of ${userId}, got ${JSON.stringify(eventsOf(userId))}`));
    }, timeoutMs);
    waiters.add(check);
    check();
  });
}

it('announces each change of the language settings once, after it is stored', async () => {
  const userId = await signUp(users.url, 'fr');
  const before = Date.now();
  const changed = await update(users.url, userId, { autoTranslateEnabled: false });
  expect(changed.data?.updateLanguagePreferences).toEqual({ preferredLanguage: 'fr', autoTranslateEnabled: false });
  const [event] = await eventCount(userId, 1);
  expect(event).toEqual({ type: 'preferences.changed', userId, occurredAt: expect.any(String) });
  expect(Date.parse(event!.occurredAt)).toBeGreaterThanOrEqual(before - 1_000);

  // Stored before it was announced: a router reading the settings on the event sees the change.
  const read = await signed<{ _entities: unknown[] }>(users.url, userId, VARIANT_SETTINGS, {
    r: [{ __typename: 'User', id: userId }],
  });
  expect(read.data?._entities).toEqual([{ id: userId, preferredLanguage: 'fr', autoTranslateEnabled: false }]);

  await update(users.url, userId, { customDestinationLanguage: 'ja', useCustomDestination: true });
  expect(await eventCount(userId, 2)).toHaveLength(2);
});

it('announces nothing when nothing changes or the input is refused', async () => {
  const userId = await signUp(users.url, 'de');
  // The values sign-up gave, and an invalid input (BAD_USER_INPUT, nothing stored).
  expect(
    (await update(users.url, userId, { systemLanguage: 'de', autoTranslateEnabled: true })).errors,
  ).toBeUndefined();
  const refused = await update(users.url, userId, { systemLanguage: 'xx', autoTranslateEnabled: false });
  expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);

  // Events leave in call order on one connection: once a later change's event is here, any event
  // of the calls above would be too.
  const other = await signUp(users.url, 'en');
  await update(users.url, other, { regionalLanguage: 'fr' });
  await eventCount(other, 1);
  expect(eventsOf(userId)).toEqual([]);
});

it('reads the variant settings of many users in one request, for the router', async () => {
  const [a, b] = await Promise.all([signUp(users.url, 'es'), signUp(users.url, 'ja')]);
  await update(users.url, b, { autoTranslateEnabled: false });
  const read = await signed<{ _entities: unknown[] }>(users.url, a, VARIANT_SETTINGS, {
    r: [a, b, randomUUID()].map((id) => ({ __typename: 'User', id })),
  });
  expect(read.errors).toBeUndefined();
  expect(read.data?._entities).toEqual([
    { id: a, preferredLanguage: 'es', autoTranslateEnabled: true },
    { id: b, preferredLanguage: 'ja', autoTranslateEnabled: false },
    null,
  ]);
});

it('still changes the settings, quickly, while Redis cannot be reached', async () => {
  const isolated = await startUsersSubgraph(loadUsersConfig({ ...env, REDIS_URL: 'redis://127.0.0.1:1' }), {
    logger,
  });
  try {
    const userId = await signUp(isolated.url, 'fr');
    const started = performance.now();
    const reply = await update(isolated.url, userId, { translateToRegionalLanguage: true, regionalLanguage: 'pt' });
    expect(performance.now() - started).toBeLessThan(400);
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.updateLanguagePreferences.preferredLanguage).toBe('fr');
  } finally {
    await isolated.stop();
  }
});
