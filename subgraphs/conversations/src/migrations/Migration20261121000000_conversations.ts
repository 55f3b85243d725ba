import { Migration } from '@mikro-orm/migrations';

export class Migration20261121000000_conversations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "conversations"."conversation" (
        "id" uuid not null primary key,
        "kind" text check ("kind" in ('DIRECT', 'GROUP')) not null,
        "title" varchar(200) null,
        "direct_key" varchar(80) null,
        "created_at" timestamptz not null,
        constraint "conversation_direct_key_unique" unique ("direct_key")
      );`);
    this.addSql(`
      create table "conversations"."membership" (
        "conversation_id" uuid not null,
        "user_id" uuid not null,
        "role" text check ("role" in ('OWNER', 'ADMIN', 'MEMBER')) not null,
        "joined_at" timestamptz not null,
        "last_read_seq" int not null default 0,
        constraint "membership_pkey" primary key ("conversation_id", "user_id")
      );`);
    this.addSql(`create index "membership_user_id_index" on "conversations"."membership" ("user_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "conversations"."membership";`);
    this.addSql(`drop table if exists "conversations"."conversation";`);
  }
}
