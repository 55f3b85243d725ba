import { signRequest, type Logger, type SignedIdentity } from '@parley/common';
import type { ViewerPreferences } from '../messages/localize';

const VIEWER_PREFERENCES =
  'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { preferredLanguage autoTranslateEnabled } } }';

interface EntitiesResponse {
  data?: { _entities: Array<ViewerPreferences | null> } | null;
  errors?: unknown;
}

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
    const body = JSON.stringify({
      query: VIEWER_PREFERENCES,
      variables: { r: [{ __typename: 'User', id: identity.userId }] },
    });
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signRequest(this.signingSecret, identity, body) },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const result = (await response.json()) as EntitiesResponse;
    if (!response.ok || !result.data) {
      this.logger.error({ status: response.status, errors: result.errors }, 'users subgraph refused the viewer lookup');
      throw new Error(`users subgraph answered ${response.status}`);
    }
    return result.data._entities[0] ?? null;
  }
}
