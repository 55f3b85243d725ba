import { createLogger, onShutdown, runMain } from '@parley/common';
import { startUsersSubgraph } from './app';
import { loadUsersConfig } from './config';

await runMain(async () => {
  const config = loadUsersConfig();
  const logger = createLogger('users', config.LOG_LEVEL);
  const subgraph = await startUsersSubgraph(config, { logger });
  onShutdown(logger, () => subgraph.stop());
});
