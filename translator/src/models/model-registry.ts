import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@parley/common';
import { loadSeq2Seq, type LoadSeq2SeqOptions, type Seq2SeqModel } from './load-seq2seq';
import { lookupRoute, MODEL_FILES, type RouteLookup, type TranslationModelSet } from './model-catalog';

export type ModelLoader = (name: string, options: LoadSeq2SeqOptions) => Promise<Seq2SeqModel>;

export interface ModelRegistryOptions {
  modelSet: TranslationModelSet;
  modelsDir: string;
  /** Models kept in memory at once; the least recently used idle one is disposed beyond it. */
  maxLoaded: number;
  logger: Logger;
  /** loadSeq2Seq unless a benchmark or test wraps it. */
  load?: ModelLoader;
}

/** A model's files are present but it would not load; splitting the batch would not help. */
export class ModelLoadError extends Error {
  constructor(
    readonly model: string,
    cause: unknown,
  ) {
    super(`model ${model} failed to load: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ModelLoadError';
  }
}

interface Entry {
  name: string;
  model: Promise<Seq2SeqModel>;
  /** Callers inside use(); an entry in use is never disposed. */
  users: number;
  lastUsed: number;
}

/**
 * Maps language pairs to models (model-catalog) and holds the loaded ones: each is loaded on first
 * use, concurrent requests for one model share its load, and at most `maxLoaded` stay in memory
 * (least recently used first out, disposed once nobody is using it).
 */
export class ModelRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly reportedMissing = new Set<string>();
  private readonly load: ModelLoader;
  private clock = 0;
  private closed = false;

  constructor(private readonly options: ModelRegistryOptions) {
    this.load = options.load ?? loadSeq2Seq;
  }

  get modelSet(): TranslationModelSet {
    return this.options.modelSet;
  }

  /**
   * The route for source → target, or why there is none. A route whose model files are absent
   * from MODELS_DIR counts as none; that is logged once per model, not once per message.
   */
  resolve(source: string, target: string): RouteLookup {
    const lookup = lookupRoute(this.options.modelSet, source, target);
    if (!lookup.ok) return lookup;
    for (const step of lookup.route.steps) {
      const missing = this.missingFiles(step.model.name);
      if (missing.length === 0) continue;
      const reason = `model ${step.model.name} is not installed in ${this.options.modelsDir} (missing ${missing.join(', ')}); run pnpm models:pull`;
      if (!this.reportedMissing.has(step.model.name)) {
        this.reportedMissing.add(step.model.name);
        this.options.logger.error({ model: step.model.name, missing, pair: `${source}-${target}` }, reason);
      }
      return { ok: false, reason };
    }
    return lookup;
  }

  /** Runs `fn` with the model loaded, keeping it from being evicted meanwhile. */
  async use<T>(name: string, fn: (model: Seq2SeqModel) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('model registry is closed');
    const entry = this.entries.get(name) ?? this.startLoad(name);
    entry.users += 1;
    entry.lastUsed = ++this.clock;
    this.evict();
    try {
      return await fn(await entry.model);
    } finally {
      entry.users -= 1;
      this.evict();
    }
  }

  /** Names of the models loaded or loading, least recently used first. */
  loaded(): string[] {
    return [...this.entries.values()].sort((a, b) => a.lastUsed - b.lastUsed).map((entry) => entry.name);
  }

  async dispose(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(entries.map((entry) => this.disposeEntry(entry)));
  }

  private missingFiles(name: string): string[] {
    const dir = path.join(this.options.modelsDir, name);
    return MODEL_FILES.filter((file) => file.required && !existsSync(path.join(dir, file.path))).map(
      (file) => file.path,
    );
  }

  private startLoad(name: string): Entry {
    const { logger, modelsDir } = this.options;
    logger.info({ model: name, modelsDir, loaded: this.loaded() }, 'loading model');
    const entry: Entry = {
      name,
      users: 0,
      lastUsed: ++this.clock,
      model: this.load(name, { modelsDir, logger }).catch((error: unknown) => {
        // Forget the failed load, so that the next request tries again (files may have been fixed).
        if (this.entries.get(name) === entry) this.entries.delete(name);
        logger.error({ model: name, err: error }, 'model failed to load');
        throw new ModelLoadError(name, error);
      }),
    };
    this.entries.set(name, entry);
    return entry;
  }

  private evict(): void {
    while (this.entries.size > this.options.maxLoaded) {
      const idle = [...this.entries.values()].filter((entry) => entry.users === 0);
      if (idle.length === 0) return;
      const victim = idle.reduce((oldest, entry) => (entry.lastUsed < oldest.lastUsed ? entry : oldest));
      this.entries.delete(victim.name);
      this.options.logger.info({ model: victim.name, loaded: this.loaded() }, 'evicting model');
      void this.disposeEntry(victim);
    }
  }

  private async disposeEntry(entry: Entry): Promise<void> {
    try {
      const model = await entry.model;
      await model.dispose();
    } catch {
      // A model that never loaded has nothing to dispose; its failure was logged when it happened.
    }
  }
}
