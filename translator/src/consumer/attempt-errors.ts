/**
 * An attempt that failed in a way a retry may not cure, so it uses up one of the queue's
 * deliveries (requeued after a back-off, dead-lettered after the last). Anything else a handler
 * throws is the infrastructure's (database, subgraph, network) and is retried in place without
 * limit, so an outage never turns into FAILED.
 */
export abstract class CountedAttemptError extends Error {}

/** The model failed for some target languages on this attempt (the stored ones stay). */
export class TranslationAttemptError extends CountedAttemptError {
  constructor(readonly failures: Array<{ target: string; error: unknown }>) {
    super(
      `translation failed for ${failures.map((f) => f.target).join(', ')}: ${failures
        .map((f) => (f.error instanceof Error ? f.error.message : String(f.error)))
        .join('; ')}`,
    );
    this.name = 'TranslationAttemptError';
  }
}

/**
 * A translation request names a message version the translator has not recorded yet: its message
 * event is still on its way. Waiting a few deliveries lets it arrive first.
 */
export class MessageNotRecordedError extends CountedAttemptError {
  constructor(messageId: string, version: number) {
    super(`message ${messageId} version ${version} is not recorded yet`);
    this.name = 'MessageNotRecordedError';
  }
}
