import { createLogger, onShutdown, runMain } from '@parley/common';
import { startMessagesSubgraph } from './app';
import { loadMessagesConfig } from './config';

await runMain(async () => {
  const config = loadMessagesConfig();
  const logger = createLogger('messages', config.LOG_LEVEL);
  const subgraph = await startMessagesSubgraph(config, { logger });
  onShutdown(logger, () => subgraph.stop());
});
