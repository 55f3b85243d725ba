/**
 * Which subgraph serves each part of the public contract (schema/contract.graphql).
 *
 * A part is a schema coordinate: `Type` (the whole type: every field, enum value or input field)
 * or `Type.member` (one field, enum value or input field). The contract check only checks the
 * parts of subgraphs listed in schema/src/subgraphs.ts, so adding a subgraph there widens the
 * check with no other change. ownership.test.ts keeps this map honest: every part of the
 * contract has exactly one owner and every coordinate here exists in the contract.
 *
 * Owners not composed yet (messages, translations, calls) are the planned split; the issue that
 * adds such a subgraph moves parts between owners here if its design differs.
 */
export type ContractOwnership = Readonly<Record<string, readonly string[]>>;

export const contractOwnership: ContractOwnership = {
  users: [
    'DateTime',
    'LanguageCode',
    'Language',
    'User',
    'AuthPayload',
    'SignUpInput',
    'SignInInput',
    'LanguagePreferencesInput',
    'Query.me',
    'Query.user',
    'Query.supportedLanguages',
    'Mutation.signUp',
    'Mutation.signIn',
    'Mutation.updateLanguagePreferences',
  ],
  conversations: [
    'ConversationKind',
    'MemberRole',
    'ConversationMember',
    'CreateConversationInput',
    'Conversation.id',
    'Conversation.kind',
    'Conversation.title',
    'Conversation.members',
    'Conversation.languages',
    'Query.conversation',
    'Query.myConversations',
    'Mutation.createConversation',
    'Mutation.addConversationMember',
    'Mutation.leaveConversation',
    'TypingEvent',
    'ReadReceipt',
    'Mutation.markRead',
    'Mutation.setTyping',
    'Subscription.typing',
    'Subscription.readReceipts',
  ],
  messages: [
    'Message.id',
    'Message.conversationId',
    'Message.conversation',
    'Message.sender',
    'Message.seq',
    'Message.clientMessageId',
    'Message.content',
    'Message.originalLanguage',
    'Message.version',
    'Message.createdAt',
    'Message.editedAt',
    'Message.deletedAt',
    'SendMessageInput',
    'Conversation.lastSeq',
    'Conversation.messages',
    'Conversation.messagesSince',
    'Mutation.sendMessage',
    'Mutation.editMessage',
    'Mutation.deleteMessage',
    'Subscription.messageAdded',
    'Subscription.messageUpdated',
  ],
  translations: [
    'TranslationStatus',
    'LocalizedText',
    'MessageTranslation',
    'TranslationResult',
    'Message.text',
    'Message.translations',
    'Query.translate',
  ],
  calls: [
    'CallMedia',
    'CallStatus',
    'CallSignalKind',
    'Call',
    'CallSignal',
    'IceServer',
    'CallSignalInput',
    'Query.call',
    'Query.iceServers',
    'Mutation.startCall',
    'Mutation.joinCall',
    'Mutation.declineCall',
    'Mutation.endCall',
    'Mutation.sendCallSignal',
    'Subscription.incomingCalls',
    'Subscription.callSignals',
    'Subscription.callUpdated',
  ],
};

export interface ContractScope {
  /** Parts to check, by owning subgraph (only subgraphs that are composed). */
  checked: Map<string, readonly string[]>;
  /** Parts whose owner is not composed yet, by owner. */
  deferred: Map<string, readonly string[]>;
  /** Composed subgraphs that own no part of the contract. */
  unowned: string[];
}

/** Splits the contract into what the composed subgraphs must serve now and what comes later. */
export function contractScope(
  composedSubgraphs: readonly string[],
  ownership: ContractOwnership = contractOwnership,
): ContractScope {
  const composed = new Set(composedSubgraphs);
  const checked = new Map<string, readonly string[]>();
  const deferred = new Map<string, readonly string[]>();
  for (const [owner, parts] of Object.entries(ownership)) {
    (composed.has(owner) ? checked : deferred).set(owner, parts);
  }
  return { checked, deferred, unowned: composedSubgraphs.filter((name) => !(name in ownership)) };
}
