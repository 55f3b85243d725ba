/**
 * pnpm models:pull [--tier basic|premium] [--pairs fr-en,en-de] [--models-dir DIR] [--dry-run]
 *
 * Fetches the real translation models (Xenova's ONNX conversions: Helsinki-NLP opus-mt per pair,
 * or NLLB-200 for premium) from huggingface.co into MODELS_DIR, laid out as loadSeq2Seq reads them.
 * Files already present are skipped, and a download goes to a .part file first, so an interrupted
 * run can simply be started again. HF_ENDPOINT points at a mirror instead of huggingface.co.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { MODELS_DIR } from '../src/models/load-seq2seq';
import {
  DEFAULT_HF_ENDPOINT,
  parsePairs,
  planPull,
  PullTiers,
  type PlannedFile,
  type PullTier,
} from '../src/models/pull-plan';

const USAGE = `usage: pnpm models:pull [--tier basic|premium] [--pairs fr-en,en-de] [--models-dir DIR] [--dry-run]`;

class OfflineError extends Error {}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Why the network failed (undici reports every network-level failure as TypeError "fetch failed"), or undefined. */
function networkCause(error: unknown): string | undefined {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const networkLevel = error instanceof TypeError && error.message === 'fetch failed';
  if (!networkLevel && !cause?.code) return undefined;
  return [cause?.code, cause?.message].filter(Boolean).join(': ') || 'network error';
}

async function download(file: PlannedFile, destination: string): Promise<'downloaded' | 'absent'> {
  let response: Response;
  // Only the answer's headers are timed: a big file's body takes minutes.
  const answered = new AbortController();
  const timer = setTimeout(() => answered.abort(new DOMException('no answer within 60 s', 'TimeoutError')), 60_000);
  try {
    response = await fetch(file.url, { redirect: 'follow', signal: answered.signal });
  } catch (error) {
    const cause = networkCause(error);
    if (cause) throw new OfflineError(`cannot reach ${new URL(file.url).host} (${cause})`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 404 && !file.required) return 'absent';
  if (!response.ok || !response.body) throw new Error(`${file.url} answered ${response.status}`);

  const total = Number(response.headers.get('content-length') ?? 0);
  let received = 0;
  let lastReport = 0;
  const label = path.basename(destination);
  const progress = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      const now = Date.now();
      if (now - lastReport > 2_000) {
        lastReport = now;
        const percent = total ? ` ${((received / total) * 100).toFixed(0)}%` : '';
        console.log(`    ${label}: ${mb(received)}${total ? ` of ${mb(total)}` : ''}${percent}`);
      }
      callback(null, chunk);
    },
  });

  const partial = `${destination}.part`;
  await mkdir(path.dirname(destination), { recursive: true });
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      progress,
      createWriteStream(partial),
    );
  } catch (error) {
    await rm(partial, { force: true });
    const cause = networkCause(error);
    if (cause) throw new OfflineError(`lost the connection while fetching ${file.url} (${cause})`);
    throw error;
  }
  await rename(partial, destination);
  console.log(`    ${label}: ${mb(received)} done`);
  return 'downloaded';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tier: { type: 'string', default: 'basic' },
      pairs: { type: 'string' },
      'models-dir': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!PullTiers.includes(values.tier as PullTier)) throw new Error(`--tier must be one of ${PullTiers.join(', ')}`);
  const tier = values.tier as PullTier;
  const modelsDir = path.resolve(values['models-dir'] ?? process.env.MODELS_DIR ?? MODELS_DIR);
  const plan = planPull(
    tier,
    values.pairs ? parsePairs(values.pairs) : undefined,
    process.env.HF_ENDPOINT ?? DEFAULT_HF_ENDPOINT,
  );

  for (const { pair, reason } of plan.unserved) console.warn(`! ${pair}: ${reason}; it will be FAILED`);
  const memory = plan.models.reduce((sum, model) => sum + model.approxMemoryMb, 0);
  console.log(
    `${tier} tier: ${plan.models.length} model(s) into ${modelsDir} (about ${(memory / 1000).toFixed(1)} GB if all were loaded at once)`,
  );

  let downloaded = 0;
  let present = 0;
  for (const model of plan.models) {
    console.log(`${model.name} (${model.repo}; pairs ${model.pairs.join(', ')})`);
    for (const file of model.files) {
      const destination = path.join(modelsDir, model.name, file.path);
      if (existsSync(destination) && statSync(destination).size > 0) {
        present += 1;
        console.log(`    ${file.path}: present, skipped`);
        continue;
      }
      if (values['dry-run']) {
        console.log(`    ${file.path}: would fetch ${file.url}`);
        continue;
      }
      const result = await download(file, destination);
      if (result === 'absent') console.log(`    ${file.path}: not in the repository (optional), skipped`);
      else downloaded += 1;
    }
  }
  console.log(`done: ${downloaded} file(s) fetched, ${present} already present`);
}

main().catch((error: unknown) => {
  if (error instanceof OfflineError) {
    console.error(
      `models:pull: ${error.message}.\nThis machine seems to be offline. Run it where huggingface.co can be reached ` +
        `(or set HF_ENDPOINT to a mirror) and copy the model directories into MODELS_DIR.`,
    );
  } else {
    console.error(`models:pull: ${error instanceof Error ? error.message : String(error)}`);
    if (!(error instanceof Error) || !error.message.startsWith('--')) console.error(USAGE);
  }
  process.exit(1);
});
