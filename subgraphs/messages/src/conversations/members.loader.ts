import DataLoader from 'dataloader';
import type { ConversationsDirectory } from './conversations-directory';

/**
 * Current member ids per conversation, null for a conversation the conversations subgraph does
 * not know. One call to the conversations subgraph per request tick, whatever the number of
 * conversations the request touches.
 */
export function createMembersLoader(
  directory: ConversationsDirectory,
  asUserId: string,
): DataLoader<string, string[] | null> {
  return new DataLoader(async (conversationIds) => {
    const members = await directory.members(conversationIds, asUserId);
    return conversationIds.map((id) => members.get(id) ?? null);
  });
}
