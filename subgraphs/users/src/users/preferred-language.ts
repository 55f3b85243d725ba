export interface LanguagePreferences {
  systemLanguage: string;
  regionalLanguage: string;
  customDestinationLanguage?: string | null;
  translateToSystemLanguage: boolean;
  translateToRegionalLanguage: boolean;
  useCustomDestination: boolean;
}

/** The contract's language rule: the first that applies wins, system language last. */
export function preferredLanguage(prefs: LanguagePreferences): string {
  if (prefs.useCustomDestination && prefs.customDestinationLanguage) return prefs.customDestinationLanguage;
  if (prefs.translateToSystemLanguage) return prefs.systemLanguage;
  if (prefs.translateToRegionalLanguage) return prefs.regionalLanguage;
  return prefs.systemLanguage;
}
