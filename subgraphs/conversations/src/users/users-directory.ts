import { fetchEntities } from '@parley/common';

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
    const users = await fetchEntities<{ id: string }>({
      url: this.url,
      signingSecret: this.signingSecret,
      timeoutMs: this.timeoutMs,
      asUserId,
      selection: '... on User { id }',
      representations: ids.map((id) => ({ __typename: 'User', id })),
    });
    return new Set(users.flatMap((user) => (user ? [user.id] : [])));
  }
}
