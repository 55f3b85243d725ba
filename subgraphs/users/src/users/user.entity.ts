import { defineEntity, p } from '@mikro-orm/core';

export const UserSchema = defineEntity({
  name: 'UserEntity',
  tableName: 'user_account',
  properties: {
    id: p.uuid().primary(),
    /** Stored lower-cased so uniqueness is case-insensitive. */
    email: p.string().length(320).unique(),
    passwordHash: p.text(),
    displayName: p.string().length(100),
    systemLanguage: p.string().length(8),
    regionalLanguage: p.string().length(8),
    customDestinationLanguage: p.string().length(8).nullable(),
    autoTranslateEnabled: p.boolean().default(true),
    translateToSystemLanguage: p.boolean().default(true),
    translateToRegionalLanguage: p.boolean().default(false),
    useCustomDestination: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class UserEntity extends UserSchema.class {}
UserSchema.setClass(UserEntity);
