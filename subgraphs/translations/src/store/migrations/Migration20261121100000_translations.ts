import { Migration } from '@mikro-orm/migrations';

export class Migration20261121100000_translations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "translations"."message_translation" (
        "message_id" uuid not null,
        "target_language" varchar(8) not null,
        "message_version" int not null,
        "conversation_id" uuid not null,
        "source_language" varchar(8) not null,
        "status" text check ("status" in ('TRANSLATED', 'FAILED')) not null,
        "translated_content" text null,
        "translation_model" varchar(200) null,
        "from_cache" boolean not null default false,
        "failure_reason" text null,
        "created_at" timestamptz not null,
        "updated_at" timestamptz not null,
        constraint "message_translation_pkey" primary key ("message_id", "target_language", "message_version")
      );`);
    this.addSql(
      `create index "message_translation_conversation_id_index" on "translations"."message_translation" ("conversation_id");`,
    );
    this.addSql(`
      create table "translations"."message_state" (
        "message_id" uuid not null primary key,
        "conversation_id" uuid not null,
        "seq" int not null,
        "current_version" int not null,
        "original_language" varchar(8) not null,
        "deleted_at" timestamptz null,
        "updated_at" timestamptz not null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "translations"."message_state";`);
    this.addSql(`drop table if exists "translations"."message_translation";`);
  }
}
