import { randomUUID } from 'node:crypto';
import type { SignedIdentity } from '@parley/common';
import { signedData, testClientIp } from '@parley/common/testing';

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`;
const UPDATE_PREFERENCES = `mutation ($input: LanguagePreferencesInput!) { updateLanguagePreferences(input: $input) { preferredLanguage } }`;

export interface LanguagePreferences {
  regionalLanguage?: string;
  customDestinationLanguage?: string | null;
  autoTranslateEnabled?: boolean;
  translateToSystemLanguage?: boolean;
  translateToRegionalLanguage?: boolean;
  useCustomDestination?: boolean;
}

/** Signs a user up through the users subgraph's signed GraphQL; returns the identity the router would sign with. */
export async function signUpViewer(
  usersUrl: string,
  systemLanguage: string,
  preferences: LanguagePreferences = {},
): Promise<SignedIdentity> {
  const clientIp = testClientIp();
  const data = await signedData<{ signUp: { user: { id: string } } }>(
    usersUrl,
    SIGN_UP,
    {
      input: {
        email: `viewer-${randomUUID()}@example.test`,
        password: 'correct horse battery',
        displayName: `viewer ${systemLanguage}`,
        systemLanguage,
      },
    },
    { userId: '', clientIp },
  );
  const identity = { userId: data.signUp.user.id, clientIp };
  if (Object.keys(preferences).length > 0) await updatePreferences(usersUrl, identity, preferences);
  return identity;
}

export async function updatePreferences(
  usersUrl: string,
  identity: SignedIdentity,
  preferences: LanguagePreferences,
): Promise<string> {
  const data = await signedData<{ updateLanguagePreferences: { preferredLanguage: string } }>(
    usersUrl,
    UPDATE_PREFERENCES,
    { input: preferences },
    identity,
  );
  return data.updateLanguagePreferences.preferredLanguage;
}
