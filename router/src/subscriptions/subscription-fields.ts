/**
 * The subscription root fields this router serves and what feeds them. Each names a conversation
 * in its `conversationId` argument; the owner subgraph resolves the field (and checks access).
 */
export const CONVERSATION_FIELDS = {
  /** message.created events, in seq order, gated on the subscriber's translation. */
  messageAdded: 'messageAdded',
  /** message.edited (gated) and message.deleted events, plus late translations. */
  messageUpdated: 'messageUpdated',
  /** typing events of other members; a `true` lapses after its ttl. */
  typing: 'typing',
  /** read receipts of other members. */
  readReceipts: 'readReceipts',
} as const;

export type ConversationField = keyof typeof CONVERSATION_FIELDS;

export const isConversationField = (name: string): name is ConversationField => name in CONVERSATION_FIELDS;
