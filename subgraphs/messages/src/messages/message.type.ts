import { LanguageCodeScalar } from '@parley/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Conversation } from '../conversations/conversation.type';
import { UserRef } from '../users/user.type';
import type { MessageData } from './message-rows';

@Directive('@key(fields: "id")')
@ObjectType('Message')
export class Message {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  conversationId!: string;

  @Field(() => Conversation)
  conversation!: Conversation;

  @Field(() => UserRef)
  sender!: UserRef;

  @Field(() => Int, { description: 'Per-conversation sequence number: 1, 2, 3, ... with no gaps.' })
  seq!: number;

  @Field(() => String, { nullable: true })
  clientMessageId!: string | null;

  @Field(() => String, { description: 'Original text of the current version; empty string once deleted.' })
  content!: string;

  @Field(() => LanguageCodeScalar)
  originalLanguage!: string;

  @Field(() => Int, { description: '1 on creation, +1 on every edit.' })
  version!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  editedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  deletedAt!: Date | null;

  static from(entity: MessageData): Message {
    return Object.assign(new Message(), {
      id: entity.id,
      conversationId: entity.conversationId,
      conversation: Conversation.of(entity.conversationId),
      sender: UserRef.of(entity.senderId),
      seq: entity.seq,
      clientMessageId: entity.clientMessageId,
      content: entity.content,
      originalLanguage: entity.originalLanguage,
      version: entity.version,
      createdAt: entity.createdAt,
      editedAt: entity.editedAt ?? null,
      deletedAt: entity.deletedAt ?? null,
    });
  }
}
