import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictError, issueAccessToken } from '@parley/common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { UsersContext } from '../context';
import { AuthPayload } from './auth-payload.type';
import { hashPassword } from './password';
import { SignUpInput } from './sign-up.input';
import { UserEntity } from './user.entity';
import { User } from './user.type';
import { checkLanguage, checkPassword, normalizeDisplayName, normalizeEmail } from './validate';

@Resolver()
export class SignUpResolver {
  @Mutation(() => AuthPayload)
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: UsersContext): Promise<AuthPayload> {
    const email = normalizeEmail(input.email, 'input.email');
    checkPassword(input.password, 'input.password');
    const displayName = normalizeDisplayName(input.displayName, 'input.displayName');
    const systemLanguage = checkLanguage(input.systemLanguage, 'input.systemLanguage');
    const regionalLanguage = checkLanguage(input.regionalLanguage ?? systemLanguage, 'input.regionalLanguage');

    const user = ctx.em.create(UserEntity, {
      id: randomUUID(),
      email,
      passwordHash: await hashPassword(input.password),
      displayName,
      systemLanguage,
      regionalLanguage,
      customDestinationLanguage: null,
      autoTranslateEnabled: true,
      translateToSystemLanguage: true,
      translateToRegionalLanguage: false,
      useCustomDestination: false,
    });
    try {
      await ctx.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new ConflictError('That email is already registered');
      throw error;
    }
    const token = await issueAccessToken(ctx.config.JWT_SECRET, user.id, ctx.config.JWT_TTL_SECONDS);
    return Object.assign(new AuthPayload(), { token, user: User.from(user) });
  }
}
