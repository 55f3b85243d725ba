import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { isViewerIndependent } from './viewer-dependence';

const schema = buildSchema(`
  type Query { me: User }
  type Subscription { messageAdded(conversationId: ID!): Message! }
  type User { id: ID! displayName: String! email: String! }
  type LocalizedText { language: String! content: String! status: String! isOriginal: Boolean! }
  type Message { id: ID! seq: Int! content: String! sender: User! text(language: String): LocalizedText! clientMessageId: String }
`);

const independent = (source: string) => {
  const document = parse(source);
  return isViewerIndependent(schema, document, document.definitions[0] as OperationDefinitionNode);
};

describe('isViewerIndependent', () => {
  it('shares a selection of listed fields, through fragments and aliases', () => {
    expect(
      independent(`subscription { messageAdded(conversationId: "c") { id seq t: text { content status } ...S } }
        fragment S on Message { sender { displayName __typename } }`),
    ).toBe(true);
  });

  it('keeps a subscriber apart when any field is not known to be viewer-independent', () => {
    expect(independent(`subscription { messageAdded(conversationId: "c") { id clientMessageId } }`)).toBe(false);
    expect(
      independent(
        `subscription { messageAdded(conversationId: "c") { id ...S } } fragment S on Message { sender { email } }`,
      ),
    ).toBe(false);
  });
});
