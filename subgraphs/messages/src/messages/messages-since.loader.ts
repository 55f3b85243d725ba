import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { MessageEntity } from './message.entity';
import { groupByKeyIndex, type MessageRow } from './message-rows';

export interface MessagesSinceKey {
  conversationId: string;
  afterSeq: number;
  first: number;
}

/** `Conversation.messagesSince`: seq > afterSeq, ascending, at most `first`; one query per request tick. */
export function createMessagesSinceLoader(em: EntityManager): DataLoader<MessagesSinceKey, MessageEntity[], string> {
  return new DataLoader(
    async (keys) => {
      const rows = await em.execute<MessageRow[]>(
        `select k."key_index", m.*
         from unnest(array[?]::uuid[], array[?]::int[], array[?]::int[])
           with ordinality as k("conversation_id", "after_seq", "lim", "key_index")
         cross join lateral (
           select * from "messages"."message" m
           where m."conversation_id" = k."conversation_id" and m."seq" > k."after_seq"
           order by m."seq"
           limit k."lim"
         ) m`,
        [keys.map((k) => k.conversationId), keys.map((k) => k.afterSeq), keys.map((k) => k.first)],
      );
      return groupByKeyIndex(em, rows, keys.length);
    },
    { cacheKeyFn: (key) => `${key.conversationId}:${key.afterSeq}:${key.first}` },
  );
}
