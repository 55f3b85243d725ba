// Fixture for validate-documents.test.ts: documents embedded the way the web client writes them.
const gql = String.raw;

export const MEMBER_FIELDS = gql`
  fragment MemberFields on ConversationMember {
    role
    user {
      ...UserFields
    }
  }
`;

export const MY_CONVERSATIONS = gql`
  query MyConversations {
    myConversations {
      id
      title
      members {
        ...MemberFields
      }
    }
  }
  ${MEMBER_FIELDS}
`;

/** Not GraphQL: left alone. */
export const GREETING = `hello ${MY_CONVERSATIONS.length}`;
