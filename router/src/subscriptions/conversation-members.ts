import type { ApolloServer } from '@apollo/server';
import { ErrorCode } from '@parley/common';
import type { RouterContext } from '../context';
import { executeAs } from './execute-as';

const MEMBER_IDS = 'query ParleyConversationMembers($id: ID!) { conversation(id: $id) { memberIds } }';

/** A conversation's current member ids, or 'forbidden' when the asking user may not read them (no longer a member). */
export type MemberIdsAnswer = ReadonlySet<string> | 'forbidden';

/** Reads a conversation's member ids through the graph, as a subscriber (the owner decides who may). */
export function memberIdsReader(apollo: ApolloServer<RouterContext>) {
  return async (
    identity: Pick<RouterContext, 'userId' | 'clientIp'>,
    conversationId: string,
  ): Promise<MemberIdsAnswer> => {
    const result = await executeAs<{ conversation: { memberIds: string[] } | null }>(apollo, identity, MEMBER_IDS, {
      id: conversationId,
    });
    const codes = result?.errors?.map((error) => error.extensions?.code) ?? [];
    if (codes.includes(ErrorCode.FORBIDDEN) || codes.includes(ErrorCode.NOT_FOUND)) return 'forbidden';
    if (result?.data && result.data.conversation === null) return 'forbidden';
    const ids = result?.data?.conversation?.memberIds;
    if (!ids || codes.length > 0) {
      throw new Error(`cannot read the members: ${JSON.stringify(result?.errors ?? 'no data')}`);
    }
    return new Set(ids);
  };
}
