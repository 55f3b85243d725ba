import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { MessagesContext } from '../context';
import { requireOwnMessage } from './access';
import { MessageEntity } from './message.entity';
import { announceMessageChange } from './message-announcements';
import { Message } from './message.type';
import { markMessageDeleted } from './message-writes';

@Resolver()
export class DeleteMessageResolver {
  /** Sender only. Deleting again returns the deleted message as it is, with no second event. */
  @Mutation(() => Message)
  async deleteMessage(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagesContext): Promise<Message> {
    const message = await requireOwnMessage(ctx, id);
    if (message.deletedAt) return Message.from(message);
    const deletedAt = new Date();
    const deleted = await ctx.em.transactional((em) => markMessageDeleted(em, message.id, message.senderId, deletedAt));
    if (deleted) {
      announceMessageChange(ctx, 'message.deleted', deleted, deletedAt);
      return Message.from(deleted);
    }
    // Deleted concurrently: answer with the row as that call left it.
    return Message.from(await ctx.em.fork().findOneOrFail(MessageEntity, { id: message.id }));
  }
}
