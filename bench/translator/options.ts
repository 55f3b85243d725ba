export interface TranslatorBenchOptions {
  /** Timed rounds per measurement; the median round is compared, min and max show the noise. */
  rounds: number;
  /** The same for every side of a comparison. Random weights rarely emit </s>, so most sentences run to it. */
  maxNewTokens: number;
  batchSize: number;
  /** Timed Redis lookups, after a tenth as many warm-up ones. */
  lookups: number;
  redisUrl: string;
}
