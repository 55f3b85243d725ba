import type { ApolloServer } from '@apollo/server';
import type { RouterContext } from '../context';
import { executeAs } from './execute-as';

const LAST_SEQ = 'query ParleyConversationLastSeq($id: ID!) { conversation(id: $id) { lastSeq } }';

/**
 * Reads a conversation's newest seq through the graph, as a subscriber: where a new feed starts,
 * so its first event need not wait a reorder window to learn it. undefined when it cannot be read.
 */
export function lastSeqReader(apollo: ApolloServer<RouterContext>) {
  return async (identity: Pick<RouterContext, 'userId' | 'clientIp'>, conversationId: string) => {
    const result = await executeAs<{ conversation: { lastSeq: number } | null }>(apollo, identity, LAST_SEQ, {
      id: conversationId,
    });
    const lastSeq = result?.data?.conversation?.lastSeq;
    return typeof lastSeq === 'number' ? lastSeq : undefined;
  };
}
