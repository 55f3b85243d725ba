import { SERVICE_NODE_FLAGS } from '@parley/common/service-node-flags';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESSES, REPO_ROOT } from './processes';
import { resolveCommand } from './supervisor';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const scripts = (dir: string): Record<string, string> =>
  (JSON.parse(read(join(dir, 'package.json'))) as { scripts?: Record<string, string> }).scripts ?? {};

describe('the Node options every service runs with', () => {
  it('are accepted by this Node without a warning', () => {
    const run = spawnSync(process.execPath, [...SERVICE_NODE_FLAGS, '-e', ''], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('start every process pnpm start runs', () => {
    for (const spec of PROCESSES) {
      if ((spec.command?.bin ?? 'tsx') !== 'tsx') continue;
      const command = resolveCommand(spec, REPO_ROOT);
      expect(command.args.slice(0, SERVICE_NODE_FLAGS.length)).toEqual([...SERVICE_NODE_FLAGS]);
    }
  });

  it('start the container, every package start script, and the test runs', () => {
    const entrypoint = read('infra/docker/entrypoint.sh');
    const exec = entrypoint.split('\n').find((line) => line.startsWith('exec node '));
    const starts = [...new Set(PROCESSES.map((spec) => scripts(spec.dir).start ?? ''))];
    const root = scripts('.');
    for (const flag of SERVICE_NODE_FLAGS) {
      expect(exec).toContain(flag);
      for (const start of starts) expect(start).toContain(flag);
      expect(root['test:unit']).toContain(flag);
      expect(root['test:integration']).toContain(flag);
    }
  });
});
