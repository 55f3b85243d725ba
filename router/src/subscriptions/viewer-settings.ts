import type { ApolloServer } from '@apollo/server';
import type { ViewerLanguage } from '@parley/common';
import type { RouterContext } from '../context';

const VIEWER_SETTINGS = 'query ParleyViewerSettings { me { preferredLanguage autoTranslateEnabled } }';

/** Reads a subscriber's language settings through the graph, as that subscriber. */
export function viewerSettingsReader(apollo: ApolloServer<RouterContext>) {
  return async (identity: Pick<RouterContext, 'userId' | 'clientIp'>): Promise<ViewerLanguage> => {
    const response = await apollo.executeOperation(
      { query: VIEWER_SETTINGS },
      { contextValue: { userId: identity.userId, clientIp: identity.clientIp } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    const me = (result?.data as { me?: ViewerLanguage | null } | undefined)?.me;
    if (!me) throw new Error(`cannot read language settings: ${JSON.stringify(result?.errors ?? 'no data')}`);
    return { preferredLanguage: me.preferredLanguage, autoTranslateEnabled: me.autoTranslateEnabled };
  };
}
