import { fetchEntities, type Logger, type SignedIdentity } from '@parley/common';
import type { ViewerPreferences } from '../messages/localize';

/**
 * Asks the users subgraph for the viewer's language preferences. This subgraph never reads the
 * users schema; it calls the users service's entity resolver, signed with the viewer's identity
 * like the router's calls. Preferences are read at query time, so a change shows in the next query.
 */
export class ViewerDirectory {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Null when the users subgraph knows no such user. */
  async preferences(identity: SignedIdentity): Promise<ViewerPreferences | null> {
    try {
      const [viewer] = await fetchEntities<ViewerPreferences>({
        url: this.url,
        signingSecret: this.signingSecret,
        timeoutMs: this.timeoutMs,
        asUserId: identity.userId,
        clientIp: identity.clientIp,
        selection: '... on User { preferredLanguage autoTranslateEnabled }',
        representations: [{ __typename: 'User', id: identity.userId }],
      });
      return viewer ?? null;
    } catch (error) {
      this.logger.error({ err: error }, 'users subgraph refused the viewer lookup');
      throw error;
    }
  }
}
