import { Migration } from '@mikro-orm/migrations';

export class Migration20261121200000_messages extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "messages"."message" (
        "id" uuid not null,
        "conversation_id" uuid not null,
        "sender_id" uuid not null,
        "seq" int not null,
        "client_message_id" varchar(200) not null,
        "content" text not null,
        "original_language" varchar(8) not null,
        "version" int not null default 1,
        "created_at" timestamptz not null,
        "edited_at" timestamptz null,
        "deleted_at" timestamptz null,
        constraint "message_pkey" primary key ("id"),
        constraint "message_conversation_id_seq_unique" unique ("conversation_id", "seq"),
        constraint "message_sender_id_client_message_id_unique" unique ("sender_id", "client_message_id")
      );`);
    this.addSql(`
      create table "messages"."conversation_counter" (
        "conversation_id" uuid not null,
        "last_seq" int not null,
        constraint "conversation_counter_pkey" primary key ("conversation_id")
      );`);
    this.addSql(`
      create table "messages"."outbox" (
        "id" bigserial primary key,
        "kind" varchar(32) not null,
        "payload" jsonb not null,
        "created_at" timestamptz not null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "messages"."outbox";`);
    this.addSql(`drop table if exists "messages"."conversation_counter";`);
    this.addSql(`drop table if exists "messages"."message";`);
  }
}
