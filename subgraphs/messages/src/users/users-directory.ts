import { fetchEntities } from '@parley/common';

/** Asks the users subgraph (through its entity resolver, signed) for what messages needs of a user. */
export class UsersDirectory {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** The user's systemLanguage, or null when the users subgraph does not know the id. */
  async systemLanguage(userId: string, asUserId: string): Promise<string | null> {
    const [user] = await fetchEntities<{ systemLanguage: string }>({
      url: this.url,
      signingSecret: this.signingSecret,
      timeoutMs: this.timeoutMs,
      asUserId,
      selection: '... on User { systemLanguage }',
      representations: [{ __typename: 'User', id: userId }],
    });
    return user?.systemLanguage ?? null;
  }
}
