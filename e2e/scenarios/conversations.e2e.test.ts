import { randomUUID } from 'node:crypto';
import { Client, codes } from '../support/client';
import { startStack, type Stack } from '../support/stack';
import { signUpUser, type TestUser } from '../support/users';

const CREATE = `
  mutation ($input: CreateConversationInput!) {
    createConversation(input: $input) {
      id kind title languages
      members { role joinedAt lastReadSeq user { id displayName preferredLanguage } }
    }
  }
`;
const CONVERSATION = `query ($id: ID!) { conversation(id: $id) { id kind title languages members { role user { id } } } }`;
const ADD = `mutation ($c: ID!, $u: ID!) { addConversationMember(conversationId: $c, userId: $u) { id members { role user { id } } } }`;
const LEAVE = `mutation ($c: ID!) { leaveConversation(conversationId: $c) }`;
const MY = `{ myConversations { id kind members { user { id } } } }`;
const PREFS = `mutation ($input: LanguagePreferencesInput!) { updateLanguagePreferences(input: $input) { preferredLanguage } }`;

interface ConversationData {
  id: string;
  kind: string;
  title: string | null;
  languages: string[];
  members: Array<{
    role: string;
    joinedAt?: string;
    lastReadSeq?: number;
    user: { id: string; preferredLanguage?: string };
  }>;
}

let stack: Stack;
let owner: TestUser;
let fr: TestUser;
let es: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  stack = await startStack();
  [owner, fr, es, outsider] = await Promise.all([
    signUpUser(stack.routerUrl, 'en', 'owner'),
    signUpUser(stack.routerUrl, 'fr', 'fr'),
    signUpUser(stack.routerUrl, 'es', 'es'),
    signUpUser(stack.routerUrl, 'de', 'outsider'),
  ]);
});
afterAll(() => stack.stop());

const create = async (who: TestUser, input: Record<string, unknown>) =>
  (await who.client.data<{ createConversation: ConversationData }>(CREATE, { input })).createConversation;

const memberIds = (conversation: Pick<ConversationData, 'members'>) =>
  conversation.members.map((m) => m.user.id).sort();

describe('createConversation', () => {
  it('creates a GROUP with the caller as OWNER and resolves members through the users subgraph', async () => {
    const group = await create(owner, { kind: 'GROUP', title: '  Team  ', memberIds: [fr.id, es.id, fr.id] });
    expect(group).toMatchObject({ kind: 'GROUP', title: 'Team' });
    expect(memberIds(group)).toEqual([owner.id, fr.id, es.id].sort());
    const roles = Object.fromEntries(group.members.map((m) => [m.user.id, m.role]));
    expect(roles).toEqual({ [owner.id]: 'OWNER', [fr.id]: 'MEMBER', [es.id]: 'MEMBER' });
    expect(group.members.find((m) => m.user.id === fr.id)?.user.preferredLanguage).toBe('fr');
    for (const member of group.members) {
      expect(new Date(member.joinedAt!).toISOString()).toBe(member.joinedAt);
      expect(member.lastReadSeq).toBe(0);
    }
    expect(group.languages).toEqual(['en', 'es', 'fr']);
  });

  it('returns the existing DIRECT conversation of a pair, whoever asks', async () => {
    const first = await create(owner, { kind: 'DIRECT', memberIds: [outsider.id] });
    const again = await create(outsider, { kind: 'DIRECT', memberIds: [owner.id] });
    expect(again.id).toBe(first.id);
    expect(memberIds(first)).toEqual([owner.id, outsider.id].sort());
  });

  it('brings back whoever left a DIRECT conversation when either asks for it again', async () => {
    const [ana, ben] = await Promise.all([
      signUpUser(stack.routerUrl, 'en', 'ana'),
      signUpUser(stack.routerUrl, 'fr', 'ben'),
    ]);
    const direct = await create(ana, { kind: 'DIRECT', memberIds: [ben.id] });
    await ben.client.data(LEAVE, { c: direct.id });
    expect(codes(await ben.client.request(CONVERSATION, { id: direct.id }))).toEqual(['FORBIDDEN']);

    // The one who left asks again: the same conversation, with both members, and access again.
    const back = await create(ben, { kind: 'DIRECT', memberIds: [ana.id] });
    expect(back.id).toBe(direct.id);
    expect(memberIds(back)).toEqual([ana.id, ben.id].sort());
    expect(back.languages).toEqual(['en', 'fr']);
    const read = await ben.client.data<{ conversation: ConversationData }>(CONVERSATION, { id: direct.id });
    expect(memberIds(read.conversation)).toEqual([ana.id, ben.id].sort());

    // Both left: the one who asks comes back as OWNER, with the other one.
    await ana.client.data(LEAVE, { c: direct.id });
    await ben.client.data(LEAVE, { c: direct.id });
    const again = await create(ana, { kind: 'DIRECT', memberIds: [ben.id] });
    expect(again.id).toBe(direct.id);
    expect(Object.fromEntries(again.members.map((m) => [m.user.id, m.role]))).toEqual({
      [ana.id]: 'OWNER',
      [ben.id]: 'MEMBER',
    });
  });

  it.each([
    ['no other member', { kind: 'GROUP', memberIds: [] }],
    ['only the caller', { kind: 'GROUP', memberIds: ['SELF'] }],
    ['a DIRECT conversation with two others', { kind: 'DIRECT', memberIds: ['FR', 'ES'] }],
    ['a user id that does not exist', { kind: 'GROUP', memberIds: ['FR', randomUUID()] }],
    ['a user id that is not an id', { kind: 'GROUP', memberIds: ['not-a-uuid'] }],
    ['a title over 200 characters', { kind: 'GROUP', title: 'x'.repeat(201), memberIds: ['FR'] }],
  ])('refuses %s with BAD_USER_INPUT and creates nothing', async (_label, input) => {
    const replace = (id: string) => ({ SELF: owner.id, FR: fr.id, ES: es.id })[id] ?? id;
    // The caller would be a member of anything created, so its own list is what would grow.
    const before = await owner.client.data<{ myConversations: unknown[] }>(MY);
    const result = await owner.client.request(CREATE, {
      input: { ...input, memberIds: (input.memberIds as string[]).map(replace) },
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.data).toBeNull();
    const after = await owner.client.data<{ myConversations: unknown[] }>(MY);
    expect(after.myConversations).toHaveLength(before.myConversations.length);
  });
});

describe('access', () => {
  let group: ConversationData;
  beforeAll(async () => {
    group = await create(owner, { kind: 'GROUP', title: 'Private', memberIds: [fr.id] });
  });

  it('gives a member the conversation', async () => {
    const data = await fr.client.data<{ conversation: ConversationData }>(CONVERSATION, { id: group.id });
    expect(data.conversation.id).toBe(group.id);
  });

  it('gives a non-member FORBIDDEN and no data', async () => {
    const result = await outsider.client.request(CONVERSATION, { id: group.id });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.data?.conversation ?? null).toBeNull();
    expect(result.raw).not.toContain('Private');
    expect(result.raw).not.toContain(fr.id);
  });

  it('answers null for a conversation that does not exist', async () => {
    const result = await owner.client.request(CONVERSATION, { id: randomUUID() });
    expect(result.errors).toBeUndefined();
    expect(result.data?.conversation).toBeNull();
    const malformed = await owner.client.request(CONVERSATION, { id: 'nope' });
    expect(malformed.data?.conversation).toBeNull();
  });

  it('keeps other people out of addConversationMember and leaveConversation', async () => {
    const add = await outsider.client.request(ADD, { c: group.id, u: outsider.id });
    expect(codes(add)).toEqual(['FORBIDDEN']);
    const leave = await outsider.client.request(LEAVE, { c: group.id });
    expect(codes(leave)).toEqual(['FORBIDDEN']);
    const members = await owner.client.data<{ conversation: ConversationData }>(CONVERSATION, { id: group.id });
    expect(memberIds(members.conversation)).toEqual([owner.id, fr.id].sort());
  });

  it('lists only the caller’s conversations', async () => {
    const mine = await outsider.client.data<{ myConversations: ConversationData[] }>(MY);
    expect(mine.myConversations.map((c) => c.id)).not.toContain(group.id);
    for (const conversation of mine.myConversations) expect(memberIds(conversation)).toContain(outsider.id);
  });
});

describe('membership changes', () => {
  it('lets only an OWNER or ADMIN add members; a MEMBER gets FORBIDDEN and nothing changes', async () => {
    const group = await create(owner, { kind: 'GROUP', memberIds: [fr.id] });
    const byMember = await fr.client.request(ADD, { c: group.id, u: es.id });
    expect(codes(byMember)).toEqual(['FORBIDDEN']);

    const byOwner = await owner.client.data<{ addConversationMember: ConversationData }>(ADD, {
      c: group.id,
      u: es.id,
    });
    expect(memberIds(byOwner.addConversationMember)).toEqual([owner.id, fr.id, es.id].sort());

    const twice = await owner.client.data<{ addConversationMember: ConversationData }>(ADD, { c: group.id, u: es.id });
    expect(memberIds(twice.addConversationMember)).toHaveLength(3);
  });

  it('refuses unknown users and DIRECT conversations with BAD_USER_INPUT', async () => {
    const group = await create(owner, { kind: 'GROUP', memberIds: [fr.id] });
    expect(codes(await owner.client.request(ADD, { c: group.id, u: randomUUID() }))).toEqual(['BAD_USER_INPUT']);
    const direct = await create(owner, { kind: 'DIRECT', memberIds: [es.id] });
    expect(codes(await owner.client.request(ADD, { c: direct.id, u: fr.id }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await owner.client.request(ADD, { c: randomUUID(), u: fr.id }))).toEqual(['NOT_FOUND']);
  });

  it('hands ownership on when the OWNER leaves, and a member who left loses access', async () => {
    const group = await create(owner, { kind: 'GROUP', memberIds: [fr.id, es.id] });
    expect((await owner.client.data<{ leaveConversation: boolean }>(LEAVE, { c: group.id })).leaveConversation).toBe(
      true,
    );
    const after = await fr.client.data<{ conversation: ConversationData }>(CONVERSATION, { id: group.id });
    expect(memberIds(after.conversation)).toEqual([fr.id, es.id].sort());
    expect(after.conversation.members.filter((m) => m.role === 'OWNER')).toHaveLength(1);
    expect(codes(await owner.client.request(CONVERSATION, { id: group.id }))).toEqual(['FORBIDDEN']);
  });
});

describe('languages', () => {
  it('follows members joining, leaving and changing their preferences', async () => {
    const reader = await signUpUser(stack.routerUrl, 'pt', 'reader');
    const group = await create(owner, { kind: 'GROUP', memberIds: [reader.id] });
    const languages = async () =>
      (await owner.client.data<{ conversation: ConversationData }>(CONVERSATION, { id: group.id })).conversation
        .languages;
    expect(await languages()).toEqual(['en', 'pt']);

    await reader.client.data(PREFS, { input: { customDestinationLanguage: 'ja', useCustomDestination: true } });
    expect(await languages()).toEqual(['en', 'ja']);

    await owner.client.data(ADD, { c: group.id, u: fr.id });
    expect(await languages()).toEqual(['en', 'fr', 'ja']);

    await reader.client.data(LEAVE, { c: group.id });
    expect(await languages()).toEqual(['en', 'fr']);
  });
});

describe('updateLanguagePreferences', () => {
  it('changes only the fields given', async () => {
    const user = await signUpUser(stack.routerUrl, 'de', 'prefs');
    const result = await user.client.data<{ updateLanguagePreferences: { preferredLanguage: string } }>(PREFS, {
      input: { regionalLanguage: 'es', translateToSystemLanguage: false, translateToRegionalLanguage: true },
    });
    expect(result.updateLanguagePreferences.preferredLanguage).toBe('es');
    const me = await user.client.data<{ me: Record<string, unknown> }>(
      '{ me { systemLanguage regionalLanguage customDestinationLanguage autoTranslateEnabled translateToSystemLanguage translateToRegionalLanguage useCustomDestination preferredLanguage } }',
    );
    expect(me.me).toEqual({
      systemLanguage: 'de',
      regionalLanguage: 'es',
      customDestinationLanguage: null,
      autoTranslateEnabled: true,
      translateToSystemLanguage: false,
      translateToRegionalLanguage: true,
      useCustomDestination: false,
      preferredLanguage: 'es',
    });
  });

  it('refuses an unsupported language with BAD_USER_INPUT and changes nothing, not even the valid fields', async () => {
    const user = await signUpUser(stack.routerUrl, 'de', 'prefs-bad');
    const result = await user.client.request(PREFS, {
      input: { regionalLanguage: 'fr', customDestinationLanguage: 'zz' },
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    const me = await user.client.data<{ me: { regionalLanguage: string; customDestinationLanguage: null } }>(
      '{ me { regionalLanguage customDestinationLanguage } }',
    );
    expect(me.me).toEqual({ regionalLanguage: 'de', customDestinationLanguage: null });
  });

  it('requires a token', async () => {
    const result = await new Client(stack.routerUrl).request(PREFS, { input: { systemLanguage: 'fr' } });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  });
});
