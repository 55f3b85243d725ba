import { Ctx, Query, Resolver } from 'type-graphql';
import { requireUserId, type UsersContext } from '../context';
import { User } from './user.type';

@Resolver()
export class MeResolver {
  @Query(() => User, { nullable: true })
  async me(@Ctx() ctx: UsersContext): Promise<User | null> {
    const user = await ctx.loaders.userById.load(requireUserId(ctx));
    return user ? User.from(user) : null;
  }
}
