import {
  getNamedType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Fields whose value is the same for every member of the conversation who reads in the same
 * language (the router groups subscribers by language and auto-translate flag, and resolves
 * `Message.text` with that language). Anything not listed is treated as depending on who asks,
 * and such a subscriber gets a resolution of its own: a field is shared only when known safe.
 */
const VIEWER_INDEPENDENT: Readonly<Record<string, ReadonlySet<string>>> = {
  Message: new Set([
    'id',
    'conversationId',
    'conversation',
    'sender',
    'seq',
    'content',
    'originalLanguage',
    'version',
    'createdAt',
    'editedAt',
    'deletedAt',
    'text',
    'translations',
  ]),
  LocalizedText: new Set(['language', 'content', 'status', 'isOriginal']),
  MessageTranslation: new Set([
    'messageId',
    'sourceLanguage',
    'targetLanguage',
    'translatedContent',
    'translationModel',
    'messageVersion',
    'fromCache',
    'createdAt',
  ]),
  User: new Set(['id', 'displayName']),
  Conversation: new Set(['id', 'kind', 'title', 'members', 'languages', 'lastSeq']),
  ConversationMember: new Set(['user', 'role', 'joinedAt', 'lastReadSeq']),
  TypingEvent: new Set(['conversationId', 'user', 'isTyping']),
  ReadReceipt: new Set(['conversationId', 'user', 'lastReadSeq']),
};

/** True when every field the operation selects is in the viewer-independent list (or is `__typename`). */
export function isViewerIndependent(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): boolean {
  const rootType = schema.getSubscriptionType();
  let independent = true;
  const typeInfo = new TypeInfo(schema);
  const check = (node: DocumentNode | OperationDefinitionNode) =>
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          if (field.name.value.startsWith('__')) return;
          const parent = typeInfo.getParentType();
          if (!parent) {
            independent = false;
            return;
          }
          // The root field itself is the event; its arguments name the topic, equal for the whole group.
          if (parent === rootType) return;
          if (!VIEWER_INDEPENDENT[getNamedType(parent).name]?.has(field.name.value)) independent = false;
        },
      }),
    );
  check(operation);
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition')
      check({ kind: 'Document', definitions: [definition] } as DocumentNode);
  }
  return independent;
}
