import { signRequest } from '@parley/common';

const EXISTING_USERS = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }';

/**
 * Asks the users subgraph which ids belong to real accounts. This subgraph never reads the users
 * schema's tables; it calls the users service's entity resolver, signed like the router's calls.
 */
export class UsersDirectory {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async existing(ids: readonly string[], asUserId: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const body = JSON.stringify({
      query: EXISTING_USERS,
      variables: { r: ids.map((id) => ({ __typename: 'User', id })) },
    });
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signRequest(this.signingSecret, { userId: asUserId, clientIp: '' }, body),
      },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const result = (await response.json()) as { data?: { _entities: Array<{ id: string } | null> }; errors?: unknown };
    if (!response.ok || !result.data) throw new Error(`users subgraph answered ${response.status}`);
    return new Set(result.data._entities.flatMap((entity) => (entity ? [entity.id] : [])));
  }
}
