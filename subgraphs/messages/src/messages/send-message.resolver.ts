import { randomUUID } from 'node:crypto';
import { BadUserInputError, isUuid, NotFoundError } from '@parley/common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireMember } from '../conversations/access';
import { requireUserId, type MessagesContext } from '../context';
import type { MessageData } from './message-rows';
import { Message } from './message.type';
import { announceMessageChange } from './message-announcements';
import { insertMessage } from './message-writes';
import { originalLanguageOf } from './original-language';
import { SendMessageInput } from './send-message.input';
import { checkClientMessageId, checkLanguage, normalizeContent } from './validate';

@Resolver()
export class SendMessageResolver {
  /**
   * Idempotent on (sender, clientMessageId): a repeat, concurrent or later, returns the message
   * the first call stored, whatever content it carries.
   */
  @Mutation(() => Message)
  async sendMessage(
    @Arg('input', () => SendMessageInput) input: SendMessageInput,
    @Ctx() ctx: MessagesContext,
  ): Promise<Message> {
    const userId = requireUserId(ctx);
    const content = normalizeContent(input.content, 'input.content');
    const clientMessageId = checkClientMessageId(input.clientMessageId, 'input.clientMessageId');
    const givenLanguage =
      input.originalLanguage == null ? null : checkLanguage(input.originalLanguage, 'input.originalLanguage');
    if (!isUuid(input.conversationId)) throw new NotFoundError('Conversation not found');
    const conversationId = input.conversationId.toLowerCase();
    await requireMember(ctx, conversationId);

    const originalLanguage = givenLanguage ?? (await originalLanguageOf(content, userId, ctx.users, ctx.logger));
    const createdAt = new Date();
    const { message, created } = await insertMessage(
      ctx.em,
      {
        id: randomUUID(),
        conversationId,
        senderId: userId,
        clientMessageId,
        content,
        originalLanguage,
        createdAt,
      },
      ctx.outboxRelay,
    );
    if (!created) return repeated(message, conversationId);
    // Committed, and new: a repeat (above) announces nothing, so subscribers see each message once.
    announceMessageChange(ctx, 'message.created', message, createdAt);
    return Message.from(message);
  }
}

function repeated(existing: MessageData, conversationId: string): Message {
  if (existing.conversationId !== conversationId) {
    throw new BadUserInputError(
      'This clientMessageId was already used for a message in another conversation',
      'input.clientMessageId',
    );
  }
  return Message.from(existing);
}
