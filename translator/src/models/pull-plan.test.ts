import { MODEL_FILES, NLLB_MODEL } from './model-catalog';
import { fileUrl, parsePairs, planPull } from './pull-plan';

describe('parsePairs', () => {
  it('reads a comma-separated list of pairs', () => {
    expect(parsePairs('fr-en, en-DE,')).toEqual([
      { source: 'fr', target: 'en' },
      { source: 'en', target: 'de' },
    ]);
  });

  it('refuses anything that is not a pair', () => {
    expect(() => parsePairs('fr_en')).toThrow(/not a language pair: "fr_en"/);
    expect(() => parsePairs('fr-fr')).toThrow(/not a language pair/);
  });
});

describe('planPull', () => {
  it('basic with pairs: the direct model of each pair, with the files loadSeq2Seq reads', () => {
    const plan = planPull('basic', parsePairs('fr-en,en-de'));
    expect(plan.unserved).toEqual([]);
    expect(plan.models.map((model) => [model.name, model.repo, model.pairs])).toEqual([
      ['opus-mt-fr-en', 'Xenova/opus-mt-fr-en', ['fr-en']],
      ['opus-mt-en-de', 'Xenova/opus-mt-en-de', ['en-de']],
    ]);
    expect(plan.models[0]?.files).toEqual(
      MODEL_FILES.map((file) => ({
        path: file.path,
        required: file.required,
        url: `https://huggingface.co/Xenova/opus-mt-fr-en/resolve/main/${file.path}`,
      })),
    );
    expect(plan.models[0]?.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['tokenizer.json', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']),
    );
  });

  it('basic: a pair without a direct model brings both legs through English, each model once', () => {
    const plan = planPull('basic', parsePairs('ja-de,ja-en,ko-fr'));
    expect(plan.models.map((model) => [model.name, model.pairs])).toEqual([
      ['opus-mt-ja-en', ['ja-de', 'ja-en']],
      ['opus-mt-en-de', ['ja-de']],
      ['opus-mt-ko-en', ['ko-fr']],
      ['opus-mt-en-fr', ['ko-fr']],
    ]);
  });

  it('reports the pairs no model of the tier serves', () => {
    const plan = planPull('basic', parsePairs('en-ja,fr-en'));
    expect(plan.unserved).toEqual([{ pair: 'en-ja', reason: expect.stringMatching(/en→ja/) }]);
    expect(plan.models.map((model) => model.name)).toEqual(['opus-mt-fr-en']);
  });

  it('basic without pairs: every opus-mt model, multi-target ones once', () => {
    const plan = planPull('basic');
    const names = plan.models.map((model) => model.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['opus-mt-fr-en', 'opus-mt-en-ROMANCE', 'opus-mt-ROMANCE-en']));
    expect(names).not.toContain(NLLB_MODEL.name);
    expect(plan.models.find((model) => model.name === 'opus-mt-en-ROMANCE')?.pairs).toEqual(['en-pt']);
  });

  it('premium: the NLLB model, for any pair it serves', () => {
    expect(planPull('premium').models.map((model) => model.repo)).toEqual(['Xenova/nllb-200-distilled-600M']);
    const plan = planPull('premium', parsePairs('ja-ko,en-xx'));
    expect(plan.models.map((model) => [model.name, model.pairs])).toEqual([[NLLB_MODEL.name, ['ja-ko']]]);
    expect(plan.unserved.map((entry) => entry.pair)).toEqual(['en-xx']);
  });

  it('uses another endpoint when given one (HF_ENDPOINT)', () => {
    expect(fileUrl('Xenova/opus-mt-fr-en', 'config.json', 'https://mirror.example/')).toBe(
      'https://mirror.example/Xenova/opus-mt-fr-en/resolve/main/config.json',
    );
  });
});
