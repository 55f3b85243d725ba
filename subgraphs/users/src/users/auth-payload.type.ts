import { Field, ObjectType } from 'type-graphql';
import { User } from './user.type';

@ObjectType('AuthPayload')
export class AuthPayload {
  @Field(() => String, {
    description: 'Bearer token for the Authorization header and the WebSocket connection_init payload.',
  })
  token!: string;

  @Field(() => User)
  user!: User;
}
