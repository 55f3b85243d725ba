import { Migration } from '@mikro-orm/migrations';

export class Migration20261121000000_users extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "users"."user_account" (
        "id" uuid not null primary key,
        "email" varchar(320) not null,
        "password_hash" text not null,
        "display_name" varchar(100) not null,
        "system_language" varchar(8) not null,
        "regional_language" varchar(8) not null,
        "custom_destination_language" varchar(8) null,
        "auto_translate_enabled" boolean not null default true,
        "translate_to_system_language" boolean not null default true,
        "translate_to_regional_language" boolean not null default false,
        "use_custom_destination" boolean not null default false,
        "created_at" timestamptz not null,
        "updated_at" timestamptz not null,
        constraint "user_account_email_unique" unique ("email")
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "users"."user_account";`);
  }
}
