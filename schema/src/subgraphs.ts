import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';

export interface SubgraphDefinition {
  /** The name in the supergraph; also the key of what it serves in contract/ownership.ts. */
  name: string;
  /** Where the router reaches the subgraph. Written into the supergraph; the router may override it at run time. */
  url: string;
  /** The subgraph's SDL, printed from its executable schema: no server is started, nothing goes over the network. */
  sdl(): Promise<string>;
}

/**
 * The subgraphs composed into the supergraph. Adding one here composes it and widens the contract
 * check to the parts it owns. Each subgraph is imported lazily so that reading this list (names,
 * URLs) loads no ORM or resolvers, and a subgraph that fails to build is reported by name.
 */
export function subgraphDefinitions(env: NodeJS.ProcessEnv = process.env): SubgraphDefinition[] {
  return [
    {
      name: 'users',
      url: urlFromEnv(env, 'USERS_URL', 'http://127.0.0.1:4001/graphql'),
      sdl: printed(async () => (await import('@parley/users')).buildUsersSchema()),
    },
    {
      name: 'conversations',
      url: urlFromEnv(env, 'CONVERSATIONS_URL', 'http://127.0.0.1:4002/graphql'),
      sdl: printed(async () => (await import('@parley/conversations')).buildConversationsSchema()),
    },
    {
      name: 'messages',
      url: urlFromEnv(env, 'MESSAGES_URL', 'http://127.0.0.1:4003/graphql'),
      sdl: printed(async () => (await import('@parley/messages')).buildMessagesSchema()),
    },
    {
      name: 'translations',
      url: urlFromEnv(env, 'TRANSLATIONS_URL', 'http://127.0.0.1:4005/graphql'),
      sdl: printed(async () => (await import('@parley/translations')).buildTranslationsSchema()),
    },
  ];
}

/** Environment variables that change the routing URLs, hence the composed supergraph. */
export const subgraphUrlVariables = ['USERS_URL', 'CONVERSATIONS_URL', 'MESSAGES_URL', 'TRANSLATIONS_URL'] as const;

function printed(build: () => Promise<GraphQLSchema>): () => Promise<string> {
  return async () => printSubgraphSchema(await build());
}

function urlFromEnv(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const value = env[variable] || fallback;
  // A malformed URL would only surface when the router first queries the subgraph; refuse it here.
  if (!URL.canParse(value)) throw new Error(`${variable} is not a URL: ${JSON.stringify(value)}`);
  return value;
}
