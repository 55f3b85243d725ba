import { createLogger, onShutdown, runMain } from '@parley/common';
import { startTranslator } from './app';
import { loadTranslatorConfig } from './config';

/** Long enough for a running batch of a real model to finish and be acknowledged. */
const SHUTDOWN_GRACE_MS = 30_000;

await runMain(async () => {
  const config = loadTranslatorConfig();
  const logger = createLogger('translator', config.LOG_LEVEL);
  const translator = await startTranslator(config, { logger });
  onShutdown(logger, () => translator.stop(), SHUTDOWN_GRACE_MS);
});
