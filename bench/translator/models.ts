import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS_DIR } from '@parley/translator';

export const TINY_MODEL = 'test-tiny';
export const BENCH_MODEL = 'bench-marian';

const GENERATOR = fileURLToPath(new URL('../../translator/scripts/generate-tiny-marian.py', import.meta.url));
/** Debian's interpreter: a bare `python3` may be a pyenv shim without python3-torch and python3-onnx. */
const PYTHON = '/usr/bin/python3';

export const GENERATE_COMMAND = `${PYTHON} translator/scripts/generate-tiny-marian.py --bench`;

export function modelDir(name: string): string {
  return path.join(MODELS_DIR, name);
}

function isComplete(name: string): boolean {
  const dir = modelDir(name);
  return ['config.json', 'tokenizer.json', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx'].every((file) =>
    existsSync(path.join(dir, file)),
  );
}

export function benchModelPresent(): boolean {
  return isComplete(BENCH_MODEL);
}

/** The models the translator sections run on: bench-marian (opus-mt dimensions) when generated, and test-tiny. */
export function availableModels(): string[] {
  return benchModelPresent() ? [BENCH_MODEL, TINY_MODEL] : [TINY_MODEL];
}

/** Builds translator/models/bench-marian/ (about a minute and 3 GB of memory; needs python3-torch, python3-onnx). */
export async function generateBenchModel(): Promise<void> {
  console.log(`generating ${BENCH_MODEL}: ${GENERATE_COMMAND}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(PYTHON, [GENERATOR, '--bench'], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${GENERATE_COMMAND} exited with code ${String(code)}`)),
    );
  });
}
