/**
 * Which model translates which language pair, per model set (`TRANSLATION_MODELS`). Pure data and
 * pure functions: whether a model's files are present is the registry's question, what to download
 * is pull-plan's.
 */
export const TranslationModelSets = ['basic', 'premium', 'test-tiny'] as const;
export type TranslationModelSet = (typeof TranslationModelSets)[number];

/** The language a basic-tier translation goes through when no opus-mt model serves a pair directly. */
export const PIVOT_LANGUAGE = 'en';

/** Files loadSeq2Seq reads from a model directory; the ones marked required must be present to load. */
export const MODEL_FILES = [
  { path: 'config.json', required: true },
  { path: 'generation_config.json', required: false },
  { path: 'tokenizer.json', required: true },
  { path: 'tokenizer_config.json', required: true },
  { path: 'onnx/encoder_model.onnx', required: true },
  { path: 'onnx/decoder_model_merged.onnx', required: true },
] as const;

export interface ModelSpec {
  /** Directory under MODELS_DIR, and the `translationModel` stored with each translation. */
  name: string;
  /** Hugging Face repository `pnpm models:pull` fetches it from; absent for the generated test model. */
  repo?: string;
  /** Multi-target Marian models choose the target language by a token in front of the text. */
  targetTokens?: Readonly<Record<string, string>>;
  /** Multilingual models (NLLB) name languages by their own codes, passed to the tokenizer and generate. */
  languageCodes?: Readonly<Record<string, string>>;
  /** A cap below TRANSLATION_MAX_NEW_TOKENS (random weights rarely emit </s>). */
  maxNewTokens?: number;
  /** Resident memory once loaded (fp32 on the CPU), for sizing MAX_LOADED_MODELS. */
  approxMemoryMb: number;
}

export interface RouteStep {
  model: ModelSpec;
  source: string;
  target: string;
}

export interface TranslationRoute {
  /** Stored as `translationModel`: the model, or `first+second` through the pivot language. */
  name: string;
  /** One step, or two through the pivot; none when source and target are the same. */
  steps: RouteStep[];
}

export type RouteLookup = { ok: true; route: TranslationRoute } | { ok: false; reason: string };

export const TEST_TINY_MODEL: ModelSpec = { name: 'test-tiny', maxNewTokens: 32, approxMemoryMb: 5 };

export const NLLB_MODEL: ModelSpec = {
  name: 'nllb-200-distilled-600M',
  repo: 'Xenova/nllb-200-distilled-600M',
  languageCodes: {
    en: 'eng_Latn',
    fr: 'fra_Latn',
    es: 'spa_Latn',
    de: 'deu_Latn',
    pt: 'por_Latn',
    it: 'ita_Latn',
    nl: 'nld_Latn',
    ru: 'rus_Cyrl',
    zh: 'zho_Hans',
    ja: 'jpn_Jpan',
    ko: 'kor_Hang',
    ar: 'arb_Arab',
  },
  approxMemoryMb: 3800,
};

const OPUS_MEMORY_MB = 500;

const opus = (name: string, targetTokens?: Record<string, string>): ModelSpec => ({
  name,
  repo: `Xenova/${name}`,
  ...(targetTokens ? { targetTokens } : {}),
  approxMemoryMb: OPUS_MEMORY_MB,
});

const ROMANCE_TO_EN = opus('opus-mt-ROMANCE-en');
const EN_TO_ROMANCE = opus('opus-mt-en-ROMANCE', { pt: '>>pt<<' });

/**
 * The Xenova ONNX conversions of Helsinki-NLP opus-mt models that serve Parley's languages
 * directly. English → Japanese and English → Korean have no usable opus-mt model, so those pairs
 * (and every X → ja/ko) are served by the premium model only.
 */
const BASIC_DIRECT: ReadonlyMap<string, ModelSpec> = new Map<string, ModelSpec>([
  ...['fr', 'es', 'de', 'it', 'nl', 'ru', 'zh', 'ja', 'ko', 'ar'].map((source): [string, ModelSpec] => [
    `${source}-en`,
    opus(`opus-mt-${source}-en`),
  ]),
  ['pt-en', ROMANCE_TO_EN],
  ...['fr', 'es', 'de', 'it', 'nl', 'ru'].map((target): [string, ModelSpec] => [
    `en-${target}`,
    opus(`opus-mt-en-${target}`),
  ]),
  ['en-zh', opus('opus-mt-en-zh', { zh: '>>cmn_Hans<<' })],
  ['en-ar', opus('opus-mt-en-ar', { ar: '>>ara<<' })],
  ['en-pt', EN_TO_ROMANCE],
  ...[
    'de-es',
    'de-fr',
    'es-de',
    'es-fr',
    'es-it',
    'es-ru',
    'fr-de',
    'fr-es',
    'fr-ru',
    'it-es',
    'it-fr',
    'ru-es',
    'ru-fr',
  ].map((pair): [string, ModelSpec] => [pair, opus(`opus-mt-${pair}`)]),
]);

/** Every opus-mt model of the basic tier, once each. */
export function basicModels(): ModelSpec[] {
  return [...new Map([...BASIC_DIRECT.values()].map((model) => [model.name, model])).values()];
}

/** The pairs (`fr-en`) an opus-mt model serves without a pivot. */
export function directBasicPairs(): string[] {
  return [...BASIC_DIRECT.keys()];
}

const routeOf = (...steps: RouteStep[]): TranslationRoute => ({
  name: steps.map((step) => step.model.name).join('+'),
  steps,
});

/** How `set` translates source → target, or why it cannot; says nothing about files on disk. */
export function lookupRoute(set: TranslationModelSet, source: string, target: string): RouteLookup {
  if (source === target) return { ok: true, route: { name: 'identity', steps: [] } };
  switch (set) {
    case 'test-tiny':
      return { ok: true, route: routeOf({ model: TEST_TINY_MODEL, source, target }) };
    case 'premium': {
      const codes = NLLB_MODEL.languageCodes ?? {};
      if (!codes[source] || !codes[target]) {
        return { ok: false, reason: `${NLLB_MODEL.name} does not serve ${source}→${target}` };
      }
      return { ok: true, route: routeOf({ model: NLLB_MODEL, source, target }) };
    }
    case 'basic': {
      const direct = BASIC_DIRECT.get(`${source}-${target}`);
      if (direct) return { ok: true, route: routeOf({ model: direct, source, target }) };
      const first = BASIC_DIRECT.get(`${source}-${PIVOT_LANGUAGE}`);
      const second = BASIC_DIRECT.get(`${PIVOT_LANGUAGE}-${target}`);
      if (first && second) {
        return {
          ok: true,
          route: routeOf(
            { model: first, source, target: PIVOT_LANGUAGE },
            { model: second, source: PIVOT_LANGUAGE, target },
          ),
        };
      }
      return { ok: false, reason: `no opus-mt model serves ${source}→${target}, directly or through English` };
    }
  }
}
