import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { BadUserInputError, codePointLength, hasNul, isUuid, wellFormed } from '@parley/common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireUserId, type ConversationsContext } from '../context';
import { publishMembership } from '../realtime/conversation-events';
import { ConversationEntity } from './conversation.entity';
import { Conversation } from './conversation.type';
import { CreateConversationInput } from './create-conversation.input';
import { directKey } from './ids';
import { MembershipEntity } from './membership.entity';
import { rejoinDirect } from './rejoin-direct';

const MAX_TITLE_LENGTH = 200;

@Resolver()
export class CreateConversationResolver {
  /**
   * A DIRECT conversation is unique per pair: asking again returns the existing one rather than
   * splitting the history in two, with whoever had left it a member again (rejoin-direct.ts).
   */
  @Mutation(() => Conversation)
  async createConversation(
    @Arg('input', () => CreateConversationInput) input: CreateConversationInput,
    @Ctx() ctx: ConversationsContext,
  ): Promise<Conversation> {
    const userId = requireUserId(ctx);
    const others = [...new Set(input.memberIds.map((id) => id.trim().toLowerCase()))].filter((id) => id !== userId);
    if (others.length === 0) {
      throw new BadUserInputError('A conversation needs at least one other member', 'input.memberIds');
    }
    if (input.kind === 'DIRECT' && others.length !== 1) {
      throw new BadUserInputError('A DIRECT conversation has exactly one other member', 'input.memberIds');
    }
    if (others.length > ctx.config.MAX_INITIAL_MEMBERS) {
      throw new BadUserInputError(`At most ${ctx.config.MAX_INITIAL_MEMBERS} members at creation`, 'input.memberIds');
    }
    const title = input.title == null ? null : wellFormed(input.title).trim() || null;
    if (title && codePointLength(title) > MAX_TITLE_LENGTH) {
      throw new BadUserInputError(`Title must be at most ${MAX_TITLE_LENGTH} characters`, 'input.title');
    }
    if (title && hasNul(title)) throw new BadUserInputError('Title cannot contain NUL characters', 'input.title');
    const malformed = others.filter((id) => !isUuid(id));
    const existing = await ctx.users.existing(
      others.filter((id) => isUuid(id)),
      userId,
    );
    const unknown = [...malformed, ...others.filter((id) => isUuid(id) && !existing.has(id))];
    if (unknown.length > 0) throw new BadUserInputError(`Unknown user id(s): ${unknown.join(', ')}`, 'input.memberIds');

    const key = input.kind === 'DIRECT' ? directKey(userId, others[0]!) : null;
    if (key) {
      const found = await ctx.em.findOne(ConversationEntity, { directKey: key });
      if (found) {
        await rejoinDirect(ctx, found, [userId, others[0]!]);
        return Conversation.from(found);
      }
    }
    try {
      const created = await ctx.em.transactional(async (em) => {
        const conversation = em.create(ConversationEntity, {
          id: randomUUID(),
          kind: input.kind,
          title,
          directKey: key,
        });
        const joinedAt = new Date();
        em.create(MembershipEntity, {
          conversationId: conversation.id,
          userId,
          role: 'OWNER',
          joinedAt,
          lastReadSeq: 0,
        });
        for (const other of others) {
          em.create(MembershipEntity, {
            conversationId: conversation.id,
            userId: other,
            role: 'MEMBER',
            joinedAt,
            lastReadSeq: 0,
          });
        }
        return conversation;
      });
      await publishMembership(ctx.publisher, created.id, [userId, ...others], 'joined');
      return Conversation.from(created);
    } catch (error) {
      // Both people of a pair created their DIRECT conversation at the same moment.
      if (key && error instanceof UniqueConstraintViolationException) {
        const found = await ctx.em.fork().findOneOrFail(ConversationEntity, { directKey: key });
        return Conversation.from(found);
      }
      throw error;
    }
  }
}
