import {
  BadUserInputError,
  InternalError,
  signRequest,
  TRANSLATE_PATH,
  translateErrorSchema,
  translateResponseSchema,
  type Logger,
  type SignedIdentity,
  type TranslateRequest,
  type TranslateResponse,
} from '@parley/common';

/**
 * The translator's internal HTTP API (contract in @parley/common's translate-api), so on-demand
 * translations share the micro-batcher, models and cache of message translations. What the
 * caller did wrong becomes BAD_USER_INPUT; anything else is logged here and answered with an
 * InternalError that carries no detail.
 */
export class TranslatorClient {
  private readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly signingSecret: string,
    private readonly logger: Logger,
    private readonly timeoutMs = 15_000,
  ) {
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}${TRANSLATE_PATH}`;
  }

  async translate(request: TranslateRequest, identity: SignedIdentity): Promise<TranslateResponse> {
    const body = JSON.stringify(request);
    let response: Response;
    let payload: unknown;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest(this.signingSecret, identity, body) },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      payload = text ? JSON.parse(text) : null;
    } catch (error) {
      this.logger.error({ err: error, endpoint: this.endpoint }, 'translator unreachable or too slow');
      throw new InternalError();
    }

    if (response.status === 200) {
      const result = translateResponseSchema.safeParse(payload);
      if (result.success) return result.data;
      this.logger.error({ issues: result.error.issues }, 'translator answered 200 with an unexpected body');
      throw new InternalError();
    }
    const failure = translateErrorSchema.safeParse(payload);
    const code = failure.success ? failure.data.error.code : undefined;
    if (response.status === 422 && code === 'NO_MODEL') {
      const source = request.sourceLanguage ?? 'the detected language';
      throw new BadUserInputError(`No translation model serves ${source}→${request.targetLanguage}`, 'targetLanguage');
    }
    if (response.status === 422 && code === 'UNDETECTABLE') {
      throw new BadUserInputError(
        'The language of the text could not be detected; pass sourceLanguage',
        'sourceLanguage',
      );
    }
    if (response.status === 400) {
      throw new BadUserInputError('The translator cannot translate this text into that language');
    }
    this.logger.error(
      { status: response.status, code, message: failure.success ? failure.data.error.message : undefined },
      'translator failed',
    );
    throw new InternalError();
  }
}
