import type { MikroORM } from '@mikro-orm/postgresql';
import type { MessageEvent } from '@parley/common';
import type { StoredTranslationStatus } from '@parley/translations/store';

export interface MessageStateView {
  /** The newest version any event has named. */
  currentVersion: number;
  deleted: boolean;
}

/** What the translator has recorded of a message from its events. */
export interface RecordedMessage extends MessageStateView {
  conversationId: string;
  seq: number;
  originalLanguage: string;
}

export interface StoredStatus {
  status: StoredTranslationStatus;
  model: string | null;
}

export interface TranslationRow {
  messageId: string;
  conversationId: string;
  messageVersion: number;
  sourceLanguage: string;
  targetLanguage: string;
}

const STATE_UPSERT = `
  insert into translations.message_state as s
    (message_id, conversation_id, seq, current_version, original_language, deleted_at, updated_at)
  values (?, ?, ?, ?, ?, case when ?::boolean then now() end, now())
  on conflict (message_id) do update set
    original_language = case when excluded.current_version >= s.current_version
      then excluded.original_language else s.original_language end,
    current_version = greatest(s.current_version, excluded.current_version),
    deleted_at = coalesce(s.deleted_at, excluded.deleted_at),
    updated_at = now()
  returning current_version, deleted_at is not null as deleted`;

/**
 * The condition every translation write carries: its version is the message's current one and the
 * message is not deleted. FOR SHARE makes it wait for an edit or a deletion that holds the state
 * row, and the edit's or deletion's own row cleanup runs after this write, so neither can race it.
 */
const CURRENT_AND_NOT_DELETED = `
  exists (
    select 1 from translations.message_state s
    where s.message_id = ? and s.current_version = ? and s.deleted_at is null
    for share
  )`;

const INSERT_TRANSLATED = `
  insert into translations.message_translation
    (message_id, target_language, message_version, conversation_id, source_language, status,
     translated_content, translation_model, from_cache, failure_reason, created_at, updated_at)
  select ?, ?, ?, ?, ?, 'TRANSLATED', ?, ?, ?, null, now(), now()
  where ${CURRENT_AND_NOT_DELETED}
  on conflict (message_id, target_language, message_version) do update set
    status = 'TRANSLATED',
    source_language = excluded.source_language,
    translated_content = excluded.translated_content,
    translation_model = excluded.translation_model,
    from_cache = excluded.from_cache,
    failure_reason = null,
    updated_at = now()
  where message_translation.status = 'FAILED'
  returning status`;

const INSERT_FAILED = `
  insert into translations.message_translation
    (message_id, target_language, message_version, conversation_id, source_language, status,
     translated_content, translation_model, from_cache, failure_reason, created_at, updated_at)
  select ?, ?, ?, ?, ?, 'FAILED', null, ?, false, ?, now(), now()
  where ${CURRENT_AND_NOT_DELETED}
  on conflict (message_id, target_language, message_version) do nothing
  returning status`;

/**
 * The translator's writes to the translations schema. Every write is idempotent, so a redelivered
 * or duplicated event never adds a second row: (message, target language, version) is the key.
 */
export class TranslationStore {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Records the version an event names (never moving backwards) and drops the rows of older
   * versions, in one transaction. Returns the state after the event.
   */
  async recordVersion(event: MessageEvent): Promise<MessageStateView> {
    return this.orm.em.getConnection().transactional(async (trx) => {
      const connection = this.orm.em.getConnection();
      const [state] = await connection.execute<Array<{ current_version: number; deleted: boolean }>>(
        STATE_UPSERT,
        [event.messageId, event.conversationId, event.seq, event.version, event.originalLanguage, false],
        'all',
        trx,
      );
      if (!state) throw new Error('message_state upsert returned no row');
      await connection.execute(
        'delete from translations.message_translation where message_id = ? and message_version < ?',
        [event.messageId, state.current_version],
        'run',
        trx,
      );
      return { currentVersion: state.current_version, deleted: state.deleted };
    });
  }

  /** Marks the message deleted (for good) and deletes all its translations, in one transaction. */
  async recordDeletion(event: MessageEvent): Promise<number> {
    return this.orm.em.getConnection().transactional(async (trx) => {
      const connection = this.orm.em.getConnection();
      await connection.execute(
        STATE_UPSERT,
        [event.messageId, event.conversationId, event.seq, event.version, event.originalLanguage, true],
        'all',
        trx,
      );
      const result = await connection.execute<{ affectedRows: number }>(
        'delete from translations.message_translation where message_id = ?',
        [event.messageId],
        'run',
        trx,
      );
      return result.affectedRows;
    });
  }

  /** The message as its events recorded it; null when no event of it was handled yet. */
  async recordedMessage(messageId: string): Promise<RecordedMessage | null> {
    const [row] = await this.orm.em.getConnection().execute<
      Array<{
        conversation_id: string;
        seq: number;
        current_version: number;
        original_language: string;
        deleted: boolean;
      }>
    >(
      `select conversation_id, seq, current_version, original_language, deleted_at is not null as deleted
       from translations.message_state where message_id = ?`,
      [messageId],
      'all',
    );
    if (!row) return null;
    return {
      conversationId: row.conversation_id,
      seq: Number(row.seq),
      currentVersion: row.current_version,
      originalLanguage: row.original_language,
      deleted: row.deleted,
    };
  }

  /** Target language → status and model of the rows already stored for one message version. */
  async statuses(messageId: string, version: number): Promise<Map<string, StoredStatus>> {
    const rows = await this.orm.em
      .getConnection()
      .execute<Array<{ target_language: string; status: StoredTranslationStatus; translation_model: string | null }>>(
        `select target_language, status, translation_model from translations.message_translation
         where message_id = ? and message_version = ?`,
        [messageId, version],
        'all',
      );
    return new Map(rows.map((row) => [row.target_language, { status: row.status, model: row.translation_model }]));
  }

  /** Stores a translation (or turns a FAILED row into it); false when the version is stale, deleted, or already stored. */
  async storeTranslated(
    row: TranslationRow,
    translation: { content: string; model: string; fromCache: boolean },
  ): Promise<boolean> {
    const rows = await this.orm.em
      .getConnection()
      .execute<unknown[]>(
        INSERT_TRANSLATED,
        [
          row.messageId,
          row.targetLanguage,
          row.messageVersion,
          row.conversationId,
          row.sourceLanguage,
          translation.content,
          translation.model,
          translation.fromCache,
          row.messageId,
          row.messageVersion,
        ],
        'all',
      );
    return rows.length > 0;
  }

  /** Stores a FAILED row unless any row exists; false when nothing was written. */
  async storeFailed(row: TranslationRow, failure: { model: string | null; reason: string }): Promise<boolean> {
    const rows = await this.orm.em
      .getConnection()
      .execute<unknown[]>(
        INSERT_FAILED,
        [
          row.messageId,
          row.targetLanguage,
          row.messageVersion,
          row.conversationId,
          row.sourceLanguage,
          failure.model,
          failure.reason,
          row.messageId,
          row.messageVersion,
        ],
        'all',
      );
    return rows.length > 0;
  }
}
