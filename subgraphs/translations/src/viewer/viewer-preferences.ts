import type { RouterExtensions } from '@parley/common';
import { once } from '../context';
import type { ViewerPreferences } from '../messages/localize';

/**
 * The viewer's preferences for one request (`ctx.viewer`). When the router resolves a subscription
 * event it signs in the settings it grouped the subscriber by and waits for the translation by:
 * those are used exactly, with no call to the users subgraph (whose answer may have changed since).
 * Otherwise `ask` (the users subgraph) runs on first use, at most once per request.
 */
export function viewerPreferences(
  router: RouterExtensions,
  ask: () => Promise<ViewerPreferences>,
): () => Promise<ViewerPreferences> {
  const given = router.viewerLanguage;
  if (!given) return once(ask);
  const preferences = Promise.resolve<ViewerPreferences>({
    preferredLanguage: given.preferredLanguage,
    autoTranslateEnabled: given.autoTranslateEnabled,
  });
  return () => preferences;
}
