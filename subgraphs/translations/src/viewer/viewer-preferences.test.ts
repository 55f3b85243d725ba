import type { ViewerPreferences } from '../messages/localize';
import { viewerPreferences } from './viewer-preferences';

/** A stand-in for the users subgraph that counts how often it is asked. */
function usersSubgraph(answer: ViewerPreferences) {
  const calls = { count: 0 };
  const ask = async () => {
    calls.count += 1;
    return answer;
  };
  return { ask, calls };
}

describe('viewerPreferences', () => {
  it("uses the router's viewerLanguage as given, without asking the users subgraph", async () => {
    const users = usersSubgraph({ preferredLanguage: 'fr', autoTranslateEnabled: true });
    const viewer = viewerPreferences(
      { viewerLanguage: { preferredLanguage: 'ja', autoTranslateEnabled: false } },
      users.ask,
    );
    expect(await viewer()).toEqual({ preferredLanguage: 'ja', autoTranslateEnabled: false });
    expect(await viewer()).toEqual({ preferredLanguage: 'ja', autoTranslateEnabled: false });
    expect(users.calls.count).toBe(0);
  });

  it('asks the users subgraph once, on first use, without it', async () => {
    const users = usersSubgraph({ preferredLanguage: 'fr', autoTranslateEnabled: true });
    const viewer = viewerPreferences({ subscription: { phase: 'authorize' } }, users.ask);
    expect(users.calls.count).toBe(0);
    const [first, second] = await Promise.all([viewer(), viewer()]);
    expect(first).toEqual({ preferredLanguage: 'fr', autoTranslateEnabled: true });
    expect(second).toBe(first);
    expect(users.calls.count).toBe(1);
  });
});
