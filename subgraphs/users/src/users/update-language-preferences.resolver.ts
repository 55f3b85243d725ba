import { BadUserInputError, NotFoundError } from '@parley/common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireUserId, type UsersContext } from '../context';
import { LanguagePreferencesInput } from './language-preferences.input';
import { UserEntity } from './user.entity';
import { User } from './user.type';
import { checkLanguage } from './validate';

const LANGUAGE_FIELDS = ['systemLanguage', 'regionalLanguage'] as const;
const FLAG_FIELDS = [
  'autoTranslateEnabled',
  'translateToSystemLanguage',
  'translateToRegionalLanguage',
  'useCustomDestination',
] as const;

@Resolver()
export class UpdateLanguagePreferencesResolver {
  @Mutation(() => User)
  async updateLanguagePreferences(
    @Arg('input', () => LanguagePreferencesInput) input: LanguagePreferencesInput,
    @Ctx() ctx: UsersContext,
  ): Promise<User> {
    const userId = requireUserId(ctx);
    // Validate everything before touching the entity: a bad field changes nothing.
    const changes: Partial<UserEntity> = {};
    for (const field of LANGUAGE_FIELDS) {
      const value = input[field];
      if (value === null) throw new BadUserInputError(`${field} cannot be null`, `input.${field}`);
      if (value !== undefined) changes[field] = checkLanguage(value, `input.${field}`);
    }
    if (input.customDestinationLanguage !== undefined) {
      changes.customDestinationLanguage =
        input.customDestinationLanguage === null
          ? null
          : checkLanguage(input.customDestinationLanguage, 'input.customDestinationLanguage');
    }
    for (const field of FLAG_FIELDS) {
      const value = input[field];
      if (value === null) throw new BadUserInputError(`${field} cannot be null`, `input.${field}`);
      if (value !== undefined) changes[field] = value;
    }

    const user = await ctx.em.findOne(UserEntity, { id: userId });
    if (!user) throw new NotFoundError('User not found');
    // Every one of these settings takes part in the language rule, so any real change may change
    // the user's variant; the same values again change nothing and announce nothing.
    const changed = (Object.keys(changes) as Array<keyof typeof changes>).some(
      (field) => changes[field] !== user[field],
    );
    ctx.em.assign(user, changes);
    await ctx.em.flush();
    if (changed) {
      // After the commit; fire-and-forget (the publisher never throws and gives up quickly), so
      // Redis being away never slows down or fails the change. Routers re-read the settings.
      void ctx.publisher.userPreferences({
        type: 'preferences.changed',
        userId,
        occurredAt: new Date().toISOString(),
      });
    }
    return User.from(user);
  }
}
