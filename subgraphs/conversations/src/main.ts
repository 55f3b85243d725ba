import { createLogger, onShutdown, runMain } from '@parley/common';
import { startConversationsSubgraph } from './app';
import { loadConversationsConfig } from './config';

await runMain(async () => {
  const config = loadConversationsConfig();
  const logger = createLogger('conversations', config.LOG_LEVEL);
  const subgraph = await startConversationsSubgraph(config, { logger });
  onShutdown(logger, () => subgraph.stop());
});
