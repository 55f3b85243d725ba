export { buildTranslationsSchema } from './schema';
export { startTranslationsSubgraph, type TranslationsSubgraphOptions } from './app';
export { loadTranslationsConfig, translationsEnvSchema, type TranslationsConfig } from './config';
