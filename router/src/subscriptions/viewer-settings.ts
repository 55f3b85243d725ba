import type { ApolloServer } from '@apollo/server';
import type { ViewerLanguage } from '@parley/common';
import type { RouterContext } from '../context';
import { executeAs } from './execute-as';

const VIEWER_SETTINGS = 'query ParleyViewerSettings { me { preferredLanguage autoTranslateEnabled } }';

/** Reads a subscriber's language settings through the graph, as that subscriber. */
export function viewerSettingsReader(apollo: ApolloServer<RouterContext>) {
  return async (identity: Pick<RouterContext, 'userId' | 'clientIp'>): Promise<ViewerLanguage> => {
    const result = await executeAs<{ me: ViewerLanguage | null }>(apollo, identity, VIEWER_SETTINGS);
    const me = result?.data?.me;
    if (!me) throw new Error(`cannot read language settings: ${JSON.stringify(result?.errors ?? 'no data')}`);
    return { preferredLanguage: me.preferredLanguage, autoTranslateEnabled: me.autoTranslateEnabled };
  };
}
