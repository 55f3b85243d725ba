import { createLogger } from '@parley/common';
// Relative: the bench has no package of its own, and the root package does not depend on the router.
import { loadRouterConfig, startRouter } from '../../router/src/index';
import { collectGarbage, serveParent } from './child';

/**
 * The router exactly as router/src/main.ts starts it (config from the environment), in a process
 * of its own so its resident memory can be read alone; the parent reads the subscription hub's
 * counters over IPC.
 */
const config = loadRouterConfig(process.env);
const router = await startRouter(config, createLogger('router', config.LOG_LEVEL));
serveParent(
  router.url,
  {
    stats: () => ({
      ...router.subscriptions.stats,
      frames: router.frameWrites.frames,
      socketWrites: router.frameWrites.writes,
    }),
    gc: () => {
      collectGarbage();
      return process.memoryUsage();
    },
  },
  () => router.stop(),
);
