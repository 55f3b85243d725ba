import { graphql, Kind, parse, print, type ObjectTypeDefinitionNode } from 'graphql';
import { buildConversationsSchema } from './schema';

/**
 * The realtime parts of the public contract this subgraph owns, read from the SDL it gives
 * composition (`_service { sdl }`), as the contract spells them (argument order aside).
 */
describe('conversations subgraph schema', () => {
  let types: Map<string, string[]>;
  beforeAll(async () => {
    const schema = await buildConversationsSchema();
    const result = await graphql({ schema, source: '{ _service { sdl } }' });
    const sdl = (result.data as { _service: { sdl: string } })._service.sdl;
    types = new Map(
      parse(sdl)
        .definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
        .map((type) => [
          type.name.value,
          (type.fields ?? []).map((field) => {
            const args = [...(field.arguments ?? [])]
              .map((arg) => `${arg.name.value}: ${print(arg.type)}`)
              .sort()
              .join(', ');
            return `${field.name.value}${args ? `(${args})` : ''}: ${print(field.type)}`;
          }),
        ]),
    );
  });

  it('declares the typing and readReceipts subscription fields', () => {
    expect(types.get('Subscription')?.sort()).toEqual([
      'readReceipts(conversationId: ID!): ReadReceipt!',
      'typing(conversationId: ID!): TypingEvent!',
    ]);
  });

  it('declares TypingEvent and ReadReceipt', () => {
    expect(types.get('TypingEvent')).toEqual(['conversationId: ID!', 'user: User!', 'isTyping: Boolean!']);
    expect(types.get('ReadReceipt')).toEqual(['conversationId: ID!', 'user: User!', 'lastReadSeq: Int!']);
  });

  it('declares markRead and setTyping', () => {
    expect(types.get('Mutation')).toEqual(
      expect.arrayContaining([
        'markRead(conversationId: ID!, seq: Int!): ConversationMember!',
        'setTyping(conversationId: ID!, isTyping: Boolean!): Boolean!',
      ]),
    );
  });
});
