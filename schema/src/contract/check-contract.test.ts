import { buildSchema } from 'graphql';
import { checkContract } from './check-contract';

const contractSdl = `
  type User { id: ID! name: String! }
  type Conversation { id: ID! title: String }
  type Query { me: User conversation(id: ID!): Conversation }
`;
const ownership = { users: ['User', 'Query.me'], conversations: ['Conversation', 'Query.conversation'] };

describe('checkContract', () => {
  it('fails only on parts of composed subgraphs', () => {
    const api = buildSchema('type User { id: ID! } type Query { me: User }');
    const report = checkContract(contractSdl, api, ['users'], ownership);
    expect(report.problems).toEqual(['User.name: field missing from the API schema']);
    expect([...report.deferred.keys()]).toEqual(['conversations']);
  });

  it('checks a subgraph as soon as it is composed', () => {
    const api = buildSchema('type User { id: ID! name: String! } type Query { me: User }');
    expect(checkContract(contractSdl, api, ['users'], ownership).problems).toEqual([]);
    expect(checkContract(contractSdl, api, ['users', 'conversations'], ownership).problems).toEqual([
      'Conversation: an object type missing from the API schema',
      'Query.conversation: field missing from the API schema',
    ]);
  });
});
