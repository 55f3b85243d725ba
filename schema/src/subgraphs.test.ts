import { subgraphDefinitions } from './subgraphs';

describe('subgraphDefinitions', () => {
  it('lists the composed subgraphs with their default routing URLs', () => {
    expect(subgraphDefinitions({}).map(({ name, url }) => ({ name, url }))).toEqual([
      { name: 'users', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'conversations', url: 'http://127.0.0.1:4002/graphql' },
      { name: 'messages', url: 'http://127.0.0.1:4003/graphql' },
      { name: 'translations', url: 'http://127.0.0.1:4005/graphql' },
    ]);
  });

  it('takes routing URLs from the environment', () => {
    const env = {
      USERS_URL: 'http://users.internal/graphql',
      CONVERSATIONS_URL: 'http://conversations.internal/graphql',
      MESSAGES_URL: 'http://messages.internal/graphql',
      TRANSLATIONS_URL: 'http://translations.internal/graphql',
    };
    expect(subgraphDefinitions(env).map((subgraph) => subgraph.url)).toEqual([
      env.USERS_URL,
      env.CONVERSATIONS_URL,
      env.MESSAGES_URL,
      env.TRANSLATIONS_URL,
    ]);
  });

  it('refuses a URL that does not parse', () => {
    expect(() => subgraphDefinitions({ USERS_URL: 'not a url' })).toThrow('USERS_URL is not a URL: "not a url"');
  });
});
