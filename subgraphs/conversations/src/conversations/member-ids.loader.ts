import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { CONVERSATIONS_DB_SCHEMA } from '../orm';

/**
 * Member ids of many conversations in one query, oldest member first, without building entities:
 * other subgraphs and `Conversation.languages` ask for ids of large groups on hot paths.
 */
export function createMemberIdsLoader(em: EntityManager): DataLoader<string, string[]> {
  return new DataLoader(async (conversationIds) => {
    const rows = await em.getConnection().execute<Array<{ conversation_id: string; user_id: string }>>(
      `select conversation_id, user_id from "${CONVERSATIONS_DB_SCHEMA}".membership
         where conversation_id in (${conversationIds.map(() => '?').join(', ')})
         order by joined_at asc, user_id asc`,
      [...conversationIds],
    );
    const byConversation = new Map<string, string[]>();
    for (const row of rows) {
      const list = byConversation.get(row.conversation_id);
      if (list) list.push(row.user_id);
      else byConversation.set(row.conversation_id, [row.user_id]);
    }
    return conversationIds.map((id) => byConversation.get(id) ?? []);
  });
}
