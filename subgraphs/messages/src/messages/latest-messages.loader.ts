import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { MessageEntity } from './message.entity';
import { groupByKeyIndex, type MessageRow } from './message-rows';

/** `beforeSeq` when none is given: above any seq (int4), so one query shape serves every key. */
const NO_UPPER_BOUND = 2_147_483_647;

export interface LatestMessagesKey {
  conversationId: string;
  last: number;
  beforeSeq: number | null;
}

/**
 * `Conversation.messages`: the newest `last` messages before `beforeSeq`, ascending. Every
 * (conversation, arguments) pair of a request is answered by one query: one LATERAL index scan
 * of (conversation_id, seq) per key.
 */
export function createLatestMessagesLoader(em: EntityManager): DataLoader<LatestMessagesKey, MessageEntity[], string> {
  return new DataLoader(
    async (keys) => {
      const rows = await em.execute<MessageRow[]>(
        `select k."key_index", m.*
         from unnest(array[?]::uuid[], array[?]::int[], array[?]::int[])
           with ordinality as k("conversation_id", "lim", "before_seq", "key_index")
         cross join lateral (
           select * from "messages"."message" m
           where m."conversation_id" = k."conversation_id" and m."seq" < k."before_seq"
           order by m."seq" desc
           limit k."lim"
         ) m`,
        [keys.map((k) => k.conversationId), keys.map((k) => k.last), keys.map((k) => k.beforeSeq ?? NO_UPPER_BOUND)],
      );
      return groupByKeyIndex(em, rows, keys.length).map((page) => page.sort((a, b) => a.seq - b.seq));
    },
    { cacheKeyFn: (key) => `${key.conversationId}:${key.last}:${key.beforeSeq ?? ''}` },
  );
}
