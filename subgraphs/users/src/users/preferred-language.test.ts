import { preferredLanguage, type LanguagePreferences } from './preferred-language';

const base = { systemLanguage: 'fr', regionalLanguage: 'es' };

// Every combination of the three flags and of custom language set / unset: 16 rows.
const rows: Array<
  [useCustom: boolean, custom: string | null, toSystem: boolean, toRegional: boolean, expected: string]
> = [
  [false, null, false, false, 'fr'],
  [false, null, false, true, 'es'],
  [false, null, true, false, 'fr'],
  [false, null, true, true, 'fr'],
  [false, 'ja', false, false, 'fr'],
  [false, 'ja', false, true, 'es'],
  [false, 'ja', true, false, 'fr'],
  [false, 'ja', true, true, 'fr'],
  [true, null, false, false, 'fr'],
  [true, null, false, true, 'es'],
  [true, null, true, false, 'fr'],
  [true, null, true, true, 'fr'],
  [true, 'ja', false, false, 'ja'],
  [true, 'ja', false, true, 'ja'],
  [true, 'ja', true, false, 'ja'],
  [true, 'ja', true, true, 'ja'],
];

describe('preferredLanguage', () => {
  it.each(rows)(
    'useCustomDestination=%s custom=%s translateToSystem=%s translateToRegional=%s → %s',
    (
      useCustomDestination,
      customDestinationLanguage,
      translateToSystemLanguage,
      translateToRegionalLanguage,
      expected,
    ) => {
      const prefs: LanguagePreferences = {
        ...base,
        useCustomDestination,
        customDestinationLanguage,
        translateToSystemLanguage,
        translateToRegionalLanguage,
      };
      expect(preferredLanguage(prefs)).toBe(expected);
    },
  );

  it('treats an empty custom language as unset', () => {
    expect(
      preferredLanguage({
        ...base,
        useCustomDestination: true,
        customDestinationLanguage: '',
        translateToSystemLanguage: false,
        translateToRegionalLanguage: true,
      }),
    ).toBe('es');
  });
});
