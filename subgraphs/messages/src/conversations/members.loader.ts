import DataLoader from 'dataloader';
import type { ConversationsDirectory } from './conversations-directory';
import type { MembershipCache } from './membership-cache';

/**
 * Current member ids per conversation, null for a conversation the conversations subgraph does
 * not know. Served from the membership cache where it holds the conversation; the others cost one
 * call to the conversations subgraph per request tick, whatever their number. Unknown
 * conversations are never cached.
 */
export function createMembersLoader(
  directory: ConversationsDirectory,
  cache: MembershipCache,
  asUserId: string,
  /** 'fresh': always asks the conversations subgraph (and refills the cache), for a refusal's second look. */
  mode: 'cached' | 'fresh' = 'cached',
): DataLoader<string, string[] | null> {
  return new DataLoader(async (conversationIds) => {
    const answers = new Map<string, string[]>();
    const missing: string[] = [];
    for (const id of conversationIds) {
      const cached = mode === 'cached' ? cache.get(id) : undefined;
      if (cached) answers.set(id, cached);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const fill = cache.startFill();
      let fetched: Map<string, string[]>;
      try {
        fetched = await directory.members(missing, asUserId);
      } catch (error) {
        fill.abandon();
        throw error;
      }
      fill.finish(fetched);
      for (const [id, members] of fetched) answers.set(id, members);
    }
    return conversationIds.map((id) => answers.get(id) ?? null);
  });
}
