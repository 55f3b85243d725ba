import { BadUserInputError } from '@parley/common';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { MessagesContext } from '../context';
import { requireOwnMessage } from './access';
import { announceMessageChange } from './message-announcements';
import { Message } from './message.type';
import { updateMessageContent } from './message-writes';
import { normalizeContent } from './validate';

@Resolver()
export class EditMessageResolver {
  /** Sender only. An edit to the text it already has changes nothing (no new version, no event). */
  @Mutation(() => Message)
  async editMessage(
    @Arg('id', () => ID) id: string,
    @Arg('content', () => String) content: string,
    @Ctx() ctx: MessagesContext,
  ): Promise<Message> {
    const message = await requireOwnMessage(ctx, id);
    const next = normalizeContent(content, 'content');
    if (message.deletedAt) throw new BadUserInputError('A deleted message cannot be edited', 'id');
    if (next === message.content) return Message.from(message);
    const editedAt = new Date();
    const edited = await ctx.em.transactional((em) =>
      updateMessageContent(em, message.id, message.senderId, next, editedAt),
    );
    // Deleted between our read and our update.
    if (!edited) throw new BadUserInputError('A deleted message cannot be edited', 'id');
    announceMessageChange(ctx, 'message.edited', edited, editedAt);
    return Message.from(edited);
  }
}
