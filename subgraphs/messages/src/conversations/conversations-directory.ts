import { fetchEntities } from '@parley/common';

/**
 * Asks the conversations subgraph, which owns membership, who the current members of
 * conversations are. Membership is never stored here; the members loader keeps answers briefly in
 * the MembershipCache, which the conversations subgraph's membership events invalidate, so a
 * member who leaves still loses access with the next request.
 */
export class ConversationsDirectory {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Member ids by conversation id; a conversation the conversations subgraph does not know is absent. */
  async members(conversationIds: readonly string[], asUserId: string): Promise<Map<string, string[]>> {
    if (conversationIds.length === 0) return new Map();
    const entities = await fetchEntities<{ id: string; memberIds: string[] }>({
      url: this.url,
      signingSecret: this.signingSecret,
      timeoutMs: this.timeoutMs,
      asUserId,
      selection: '... on Conversation { id memberIds }',
      representations: conversationIds.map((id) => ({ __typename: 'Conversation', id })),
    });
    return new Map(entities.flatMap((entity) => (entity ? [[entity.id, entity.memberIds] as const] : [])));
  }
}
