/**
 * `pnpm services:ensure`: makes PostgreSQL, Redis and RabbitMQ answer (starting or installing
 * local ones, see services/decide.ts) and creates the database, then exits. CI runs it before the
 * tests; `pnpm start` does the same before starting the services.
 */
import { ConfigError, ensureDatabase } from '@parley/common';
import { loadEnsureEnv } from './env';
import { ServiceError } from './services/types';
import { checkNodeVersion, databaseName, ensureBackingStep } from './steps';
import { Steps, Terminal } from './terminal';

const terminal = new Terminal();

async function main(): Promise<void> {
  checkNodeVersion();
  const env = loadEnsureEnv();
  const steps = new Steps(terminal, 4);
  await ensureBackingStep(env, steps, true);
  await steps.run(
    `database "${databaseName(env.DATABASE_URL)}"`,
    () => ensureDatabase(env.DATABASE_URL),
    (created) => (created ? 'created' : 'exists'),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message =
      error instanceof ConfigError || error instanceof ServiceError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    terminal.line(terminal.paint(31, `✖ ${message}`));
    process.exit(1);
  },
);
