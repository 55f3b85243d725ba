import { registerEnumType } from 'type-graphql';

export const ConversationKindEnum = { DIRECT: 'DIRECT', GROUP: 'GROUP' } as const;
registerEnumType(ConversationKindEnum, { name: 'ConversationKind' });

export const MemberRoleEnum = { OWNER: 'OWNER', ADMIN: 'ADMIN', MEMBER: 'MEMBER' } as const;
registerEnumType(MemberRoleEnum, { name: 'MemberRole' });
