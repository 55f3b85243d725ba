import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireUserId, type UsersContext } from '../context';
import { User } from './user.type';

@Resolver()
export class UserResolver {
  @Query(() => User, { nullable: true })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: UsersContext): Promise<User | null> {
    requireUserId(ctx);
    const user = await ctx.loaders.userById.load(id);
    return user ? User.from(user) : null;
  }
}
