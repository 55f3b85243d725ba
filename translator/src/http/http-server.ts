import { runProbes, TRANSLATE_PATH, type Logger, type Probe } from '@parley/common';
import express, { type ErrorRequestHandler } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TranslationEngine } from '../translation/translation-engine';
import { translateRoute } from './translate.route';

export interface TranslatorHttpOptions {
  host: string;
  port: number;
  engine: TranslationEngine;
  signingSecret: string;
  logger: Logger;
  /** Dependency name → probe; /ready answers 503 naming each one that fails. */
  probes: Record<string, Probe>;
  probeTimeoutMs?: number;
  accepting: () => boolean;
}

export interface RunningHttpServer {
  /** http://host:port, the base URL of the internal API. */
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/** /health, /ready and the internal translate API. */
export async function startHttpServer(options: TranslatorHttpOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'translator' });
  });
  app.get('/ready', async (_req, res) => {
    const { checks, down } = await runProbes(options.probes, options.probeTimeoutMs ?? 2_000, logger);
    if (down.length > 0 || !options.accepting()) {
      res.status(503).json({ status: 'unavailable', service: 'translator', down, checks });
      return;
    }
    res.json({ status: 'ready', service: 'translator', checks });
  });
  app.post(TRANSLATE_PATH, ...translateRoute(options));
  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'request failed');
    res
      .status(status)
      .json({ error: { code: status === 500 ? 'UNAVAILABLE' : 'BAD_REQUEST', message: 'bad request' } });
  };
  app.use(onError);

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}`;
  logger.info({ url }, 'translator listening');
  return {
    url,
    server,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
