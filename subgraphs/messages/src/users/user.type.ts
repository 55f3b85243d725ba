import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A reference to a users-subgraph entity; the router fetches its fields from there. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;

  static of(id: string): UserRef {
    return Object.assign(new UserRef(), { id });
  }
}
