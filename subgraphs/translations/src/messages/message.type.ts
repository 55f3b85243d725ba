import { LanguageCodeScalar } from '@parley/common';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * This subgraph's view of a message: the messages subgraph owns it and provides the fields that
 * `text` and `translations` need (`@requires`), so this subgraph never reads the messages schema
 * and always sees the version and text the viewer was just served. The router sends only what the
 * selected fields require: `translations` alone comes without `content` and `originalLanguage`.
 */
@Directive('@key(fields: "id")')
@ObjectType('Message')
export class Message {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => String, { description: 'Original text of the current version; empty string once deleted.' })
  content?: string;

  @Directive('@external')
  @Field(() => LanguageCodeScalar)
  originalLanguage?: string;

  @Directive('@external')
  @Field(() => Int, { description: '1 on creation, +1 on every edit.' })
  version!: number;

  @Directive('@external')
  @Field(() => Date, { nullable: true })
  deletedAt!: Date | null;
}
