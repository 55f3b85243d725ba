import { hasNul, issueAccessToken, UnauthenticatedError, wellFormed } from '@parley/common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { UsersContext } from '../context';
import { AuthPayload } from './auth-payload.type';
import { dummyPasswordHash, verifyPassword } from './password';
import { SignInInput } from './sign-in.input';
import { UserEntity } from './user.entity';
import { User } from './user.type';

@Resolver()
export class SignInResolver {
  @Mutation(() => AuthPayload)
  async signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: UsersContext): Promise<AuthPayload> {
    const email = wellFormed(input.email).trim().toLowerCase();
    // No stored email holds one (normalizeEmail refuses it), and PostgreSQL could not even compare it.
    if (hasNul(email)) throw new UnauthenticatedError('Invalid email or password');
    const window = ctx.config.SIGN_IN_WINDOW_SECONDS;
    await ctx.rateLimiter.consume(`email:${email}`, {
      limit: ctx.config.SIGN_IN_LIMIT_PER_EMAIL,
      windowSeconds: window,
    });
    if (ctx.identity.clientIp) {
      await ctx.rateLimiter.consume(`ip:${ctx.identity.clientIp}`, {
        limit: ctx.config.SIGN_IN_LIMIT_PER_IP,
        windowSeconds: window,
      });
    }

    const user = await ctx.em.findOne(UserEntity, { email });
    // Same work and the same answer whether the email or the password is wrong.
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
    if (!user || !valid) throw new UnauthenticatedError('Invalid email or password');

    await ctx.rateLimiter.reset(`email:${email}`);
    const token = await issueAccessToken(ctx.config.JWT_SECRET, user.id, ctx.config.JWT_TTL_SECONDS);
    return Object.assign(new AuthPayload(), { token, user: User.from(user) });
  }
}
