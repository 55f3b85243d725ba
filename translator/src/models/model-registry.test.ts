import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@parley/common';
import type { Seq2SeqModel } from './load-seq2seq';
import { lookupRoute, MODEL_FILES, NLLB_MODEL } from './model-catalog';
import { ModelLoadError, ModelRegistry } from './model-registry';

function recordingLogger() {
  const errors: Array<{ obj: object; msg: string }> = [];
  const infos: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const noop = () => undefined;
  const logger = {
    info: (obj: object, msg: string) => infos.push({ obj: obj as Record<string, unknown>, msg }),
    debug: noop,
    warn: noop,
    error: (obj: object, msg: string) => errors.push({ obj, msg }),
  } as unknown as Logger;
  /** The models whose load started, in order: the "loading model" lines (the only ones naming modelsDir). */
  const loadsLogged = () => infos.filter(({ obj }) => 'modelsDir' in obj).map(({ obj }) => obj.model);
  /** The models evicted, in order: the info lines that name a model and the remaining ones, but no modelsDir. */
  const evictionsLogged = () =>
    infos.filter(({ obj }) => !('modelsDir' in obj) && 'loaded' in obj).map(({ obj }) => obj.model);
  return { logger, errors, infos, loadsLogged, evictionsLogged };
}

function installModel(modelsDir: string, name: string): void {
  for (const file of MODEL_FILES) {
    const target = path.join(modelsDir, name, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, '{}');
  }
}

/** A loader that hands out fake models and records loads and disposals. */
function fakeLoader() {
  const loads: string[] = [];
  const disposed: string[] = [];
  let failNext = false;
  const load = async (name: string): Promise<Seq2SeqModel> => {
    loads.push(name);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (failNext) {
      failNext = false;
      throw new Error('corrupt onnx file');
    }
    return {
      name,
      generateIds: async (texts) => texts.map(() => []),
      translateBatch: async (texts) => texts.map((text) => `${name}:${text}`),
      dispose: async () => {
        disposed.push(name);
      },
    };
  };
  return {
    load,
    loads,
    disposed,
    failOnce: () => {
      failNext = true;
    },
  };
}

describe('model catalog', () => {
  it('basic: an opus-mt model per direct pair', () => {
    const lookup = lookupRoute('basic', 'fr', 'en');
    expect(lookup).toMatchObject({ ok: true, route: { name: 'opus-mt-fr-en' } });
    if (!lookup.ok) return;
    expect(lookup.route.steps).toHaveLength(1);
    expect(lookup.route.steps[0]).toMatchObject({
      source: 'fr',
      target: 'en',
      model: { repo: 'Xenova/opus-mt-fr-en' },
    });
    expect(lookupRoute('basic', 'fr', 'de')).toMatchObject({ ok: true, route: { name: 'opus-mt-fr-de' } });
  });

  it('basic: multi-target models carry the target token', () => {
    const lookup = lookupRoute('basic', 'en', 'pt');
    expect(lookup).toMatchObject({ ok: true, route: { name: 'opus-mt-en-ROMANCE' } });
    if (lookup.ok) expect(lookup.route.steps[0]?.model.targetTokens?.pt).toBe('>>pt<<');
  });

  it('basic: English as pivot where no direct model exists', () => {
    const lookup = lookupRoute('basic', 'ja', 'de');
    expect(lookup).toMatchObject({ ok: true, route: { name: 'opus-mt-ja-en+opus-mt-en-de' } });
    if (!lookup.ok) return;
    expect(lookup.route.steps.map((step) => [step.model.name, step.source, step.target])).toEqual([
      ['opus-mt-ja-en', 'ja', 'en'],
      ['opus-mt-en-de', 'en', 'de'],
    ]);
  });

  it('basic: no route when neither a direct model nor both pivot legs exist', () => {
    expect(lookupRoute('basic', 'de', 'ja')).toEqual({ ok: false, reason: expect.stringMatching(/de→ja/) });
    expect(lookupRoute('basic', 'en', 'ko')).toMatchObject({ ok: false });
    expect(lookupRoute('basic', 'xx', 'en')).toMatchObject({ ok: false });
  });

  it('premium: one NLLB model for every pair of supported languages, with its language codes', () => {
    const lookup = lookupRoute('premium', 'ja', 'ko');
    expect(lookup).toMatchObject({ ok: true, route: { name: NLLB_MODEL.name } });
    expect(NLLB_MODEL.languageCodes).toMatchObject({ ja: 'jpn_Jpan', ko: 'kor_Hang', en: 'eng_Latn' });
    expect(lookupRoute('premium', 'en', 'xx')).toMatchObject({ ok: false });
  });

  it('test-tiny serves every pair; the same language needs no model', () => {
    expect(lookupRoute('test-tiny', 'xx', 'ko')).toMatchObject({ ok: true, route: { name: 'test-tiny' } });
    expect(lookupRoute('basic', 'fr', 'fr')).toEqual({ ok: true, route: { name: 'identity', steps: [] } });
  });
});

describe('ModelRegistry', () => {
  let modelsDir: string;

  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(tmpdir(), 'parley-models-'));
  });

  afterEach(() => {
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('a route whose model is not installed has no route, with a reason logged once per model', () => {
    const { logger, errors } = recordingLogger();
    const registry = new ModelRegistry({ modelSet: 'basic', modelsDir, maxLoaded: 2, logger, load: fakeLoader().load });
    const first = registry.resolve('fr', 'en');
    expect(first).toEqual({ ok: false, reason: expect.stringMatching(/opus-mt-fr-en is not installed.*models:pull/) });
    expect(registry.resolve('fr', 'en')).toEqual(first);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.obj).toMatchObject({ model: 'opus-mt-fr-en' });

    // A pivot needs both legs.
    installModel(modelsDir, 'opus-mt-ja-en');
    expect(registry.resolve('ja', 'de')).toEqual({ ok: false, reason: expect.stringMatching(/opus-mt-en-de/) });
    installModel(modelsDir, 'opus-mt-en-de');
    expect(registry.resolve('ja', 'de')).toMatchObject({ ok: true, route: { name: 'opus-mt-ja-en+opus-mt-en-de' } });
  });

  it('loads lazily, shares a load between concurrent users, and keeps at most maxLoaded models (LRU)', async () => {
    const loader = fakeLoader();
    const registry = new ModelRegistry({
      modelSet: 'basic',
      modelsDir,
      maxLoaded: 2,
      logger: recordingLogger().logger,
      load: loader.load,
    });
    const translate = (name: string) => registry.use(name, (model) => model.translateBatch(['x'], 8));

    expect(loader.loads).toEqual([]);
    expect(await Promise.all([translate('a'), translate('a')])).toEqual([['a:x'], ['a:x']]);
    expect(loader.loads).toEqual(['a']);

    await translate('b');
    await translate('a'); // a is now the most recently used
    await translate('c'); // evicts b, the least recently used
    expect(registry.loaded()).toEqual(['a', 'c']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loader.disposed).toEqual(['b']);

    await translate('b');
    expect(loader.loads).toEqual(['a', 'b', 'c', 'b']);
    await registry.dispose();
    expect(loader.disposed.sort()).toEqual(['a', 'b', 'b', 'c']);
  });

  it('logs "loading model" once per load, when the model is first used, not on every use', async () => {
    const loader = fakeLoader();
    const { logger, infos, loadsLogged, evictionsLogged } = recordingLogger();
    const registry = new ModelRegistry({ modelSet: 'basic', modelsDir, maxLoaded: 2, logger, load: loader.load });
    const translate = (name: string) => registry.use(name, (model) => model.translateBatch(['x'], 8));

    // Constructing the registry and resolving a route load nothing.
    installModel(modelsDir, 'opus-mt-fr-en');
    expect(registry.resolve('fr', 'en')).toMatchObject({ ok: true });
    expect(loader.loads).toEqual([]);
    expect(infos).toEqual([]);

    // The line is logged when the load starts, before the model is ready.
    const pending = Promise.all([translate('a'), translate('a')]);
    expect(loadsLogged()).toEqual(['a']);
    expect(infos[0]?.obj).toEqual({ model: 'a', modelsDir, loaded: [] });
    expect(infos[0]?.msg).toEqual(expect.stringMatching(/load/));
    await pending;
    await translate('a');
    await translate('a');
    expect(loader.loads).toEqual(['a']);
    expect(loadsLogged()).toEqual(['a']);

    await translate('b');
    expect(loadsLogged()).toEqual(['a', 'b']);
    expect(infos.at(-1)?.obj).toMatchObject({ model: 'b', loaded: ['a'] });
    await translate('c'); // evicts a, the least recently used
    expect(evictionsLogged()).toEqual(['a']);
    await translate('a'); // loaded again, so logged again; evicts b
    expect(evictionsLogged()).toEqual(['a', 'b']);
    await translate('a');
    await translate('c');
    expect(loadsLogged()).toEqual(['a', 'b', 'c', 'a']);
    expect(loadsLogged()).toEqual(loader.loads);
    await registry.dispose();
  });

  it('never disposes a model while it is in use; the bound holds again as soon as a model is idle', async () => {
    const loader = fakeLoader();
    const registry = new ModelRegistry({
      modelSet: 'basic',
      modelsDir,
      maxLoaded: 1,
      logger: recordingLogger().logger,
      load: loader.load,
    });
    let release!: () => void;
    const held = registry.use('a', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // a is busy, so b goes over the bound for its own use and is the one evicted after it.
    expect(await registry.use('b', (model) => model.translateBatch(['z'], 8))).toEqual(['b:z']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loader.disposed).toEqual(['b']);
    release();
    await held;
    expect(loader.disposed).toEqual(['b']);
    expect(registry.loaded()).toEqual(['a']);
  });

  it('a failed load is a ModelLoadError and is tried again next time', async () => {
    const loader = fakeLoader();
    const log = recordingLogger();
    const registry = new ModelRegistry({
      modelSet: 'basic',
      modelsDir,
      maxLoaded: 2,
      logger: log.logger,
      load: loader.load,
    });
    loader.failOnce();
    await expect(registry.use('a', async () => undefined)).rejects.toBeInstanceOf(ModelLoadError);
    expect(registry.loaded()).toEqual([]);
    expect(await registry.use('a', (model) => model.translateBatch(['y'], 8))).toEqual(['a:y']);
    expect(loader.loads).toEqual(['a', 'a']);
    // Each attempt is a load of its own, logged as one; the failure is logged as an error.
    expect(log.loadsLogged()).toEqual(['a', 'a']);
    expect(log.errors).toEqual([
      { obj: expect.objectContaining({ model: 'a', err: expect.any(Error) }), msg: expect.any(String) },
    ]);
  });
});
