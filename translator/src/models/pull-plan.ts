import { directBasicPairs, lookupRoute, MODEL_FILES, NLLB_MODEL, type ModelSpec } from './model-catalog';

/** What `pnpm models:pull` fetches and from where: pure planning, so it is tested without a network. */
export const PullTiers = ['basic', 'premium'] as const;
export type PullTier = (typeof PullTiers)[number];

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

export interface LanguagePair {
  source: string;
  target: string;
}

export interface PlannedFile {
  /** Relative to the model's directory, as loadSeq2Seq reads it. */
  path: string;
  url: string;
  /** Without it the model does not load; an optional file that the repository lacks is skipped. */
  required: boolean;
}

export interface PlannedModel {
  name: string;
  repo: string;
  approxMemoryMb: number;
  /** The requested pairs this model takes part in (all of its pairs when none were requested). */
  pairs: string[];
  files: PlannedFile[];
}

export interface PullPlan {
  tier: PullTier;
  models: PlannedModel[];
  /** Requested pairs that no model of the tier serves. */
  unserved: Array<{ pair: string; reason: string }>;
}

/** `fr-en,en-de` → pairs; throws on anything else so a typo is not silently ignored. */
export function parsePairs(value: string): LanguagePair[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([a-z]{2,3})-([a-z]{2,3})$/.exec(part.toLowerCase());
      if (!match || match[1] === match[2]) throw new Error(`not a language pair: "${part}" (expected e.g. fr-en)`);
      return { source: match[1] as string, target: match[2] as string };
    });
}

export function fileUrl(repo: string, path: string, endpoint = DEFAULT_HF_ENDPOINT): string {
  return `${endpoint.replace(/\/+$/, '')}/${repo}/resolve/main/${path}`;
}

/**
 * The models (and their files) to fetch for `tier`: for the requested pairs, the model serving
 * each directly or the two through English; without pairs, every model of the tier.
 */
export function planPull(tier: PullTier, pairs?: LanguagePair[], endpoint = DEFAULT_HF_ENDPOINT): PullPlan {
  const models = new Map<string, { spec: ModelSpec; pairs: Set<string> }>();
  const unserved: PullPlan['unserved'] = [];
  const add = (spec: ModelSpec, pair: string) => {
    const entry = models.get(spec.name) ?? { spec, pairs: new Set<string>() };
    entry.pairs.add(pair);
    models.set(spec.name, entry);
  };

  if (pairs && pairs.length > 0) {
    for (const { source, target } of pairs) {
      const pair = `${source}-${target}`;
      const lookup = lookupRoute(tier, source, target);
      if (!lookup.ok) {
        unserved.push({ pair, reason: lookup.reason });
        continue;
      }
      for (const step of lookup.route.steps) add(step.model, pair);
    }
  } else if (tier === 'premium') {
    add(NLLB_MODEL, 'all');
  } else {
    for (const pair of directBasicPairs()) {
      const lookup = lookupRoute('basic', ...(pair.split('-') as [string, string]));
      if (lookup.ok) for (const step of lookup.route.steps) add(step.model, pair);
    }
  }

  return {
    tier,
    unserved,
    models: [...models.values()].map(({ spec, pairs: served }) => {
      if (!spec.repo) throw new Error(`model ${spec.name} has no repository to pull from`);
      const repo = spec.repo;
      return {
        name: spec.name,
        repo,
        approxMemoryMb: spec.approxMemoryMb,
        pairs: [...served],
        files: MODEL_FILES.map((file) => ({
          path: file.path,
          url: fileUrl(repo, file.path, endpoint),
          required: file.required,
        })),
      };
    }),
  };
}
