import { createLogger, onShutdown, runMain } from '@parley/common';
import { startRouter } from './app';
import { loadRouterConfig } from './config';

await runMain(async () => {
  const config = loadRouterConfig();
  const logger = createLogger('router', config.LOG_LEVEL);
  const router = await startRouter(config, logger);
  onShutdown(logger, () => router.stop());
});
