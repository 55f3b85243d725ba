import { createLogger, onShutdown, runMain } from '@parley/common';
import { startTranslationsSubgraph } from './app';
import { loadTranslationsConfig } from './config';

await runMain(async () => {
  const config = loadTranslationsConfig();
  const logger = createLogger('translations', config.LOG_LEVEL);
  const subgraph = await startTranslationsSubgraph(config, { logger });
  onShutdown(logger, () => subgraph.stop());
});
