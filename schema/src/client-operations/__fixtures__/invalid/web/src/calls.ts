// Fixture for validate-documents.test.ts: an embedded document with a wrongly typed variable.
const gql = String.raw;

export const USER = gql`
  query User($id: String!) {
    user(id: $id) {
      ...Missing
    }
  }
`;
