import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LanguageCodeScalar } from '@parley/common';

/**
 * The users subgraph's view of a conversation: it owns `languages`, computed from the member ids
 * the conversations subgraph provides (`@requires`). Reading preferences at query time means a
 * change of preferences is visible in the very next query; no copy has to be kept in sync.
 */
@Directive('@key(fields: "id")')
@ObjectType('Conversation')
export class Conversation {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => [ID])
  memberIds!: string[];

  @Directive('@requires(fields: "memberIds")')
  @Field(() => [LanguageCodeScalar], { description: 'Distinct preferredLanguage values of the current members.' })
  languages!: string[];
}
