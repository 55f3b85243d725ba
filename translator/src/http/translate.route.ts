import {
  codePointLength,
  isSupportedLanguage,
  MAX_TEXT_CHARACTERS,
  translateRequestSchema,
  verifyRequest,
  type Logger,
  type TranslateError,
  type TranslateResponse,
} from '@parley/common';
import { detectLanguage } from '@parley/common/detect-language';
import express, { type RequestHandler, type Response } from 'express';
import type { TranslationEngine } from '../translation/translation-engine';

export interface TranslateRouteOptions {
  engine: TranslationEngine;
  signingSecret: string;
  logger: Logger;
  /** False while starting or stopping: the answer is 503 UNAVAILABLE. */
  accepting: () => boolean;
}

const sendError = (res: Response, status: number, code: TranslateError['error']['code'], message: string) => {
  const body: TranslateError = { error: { code, message } };
  res.status(status).json(body);
};

/**
 * POST /translate (contract: @parley/common translate-api): signed requests only, through the same
 * batcher, models and cache as message translations.
 */
export function translateRoute(options: TranslateRouteOptions): RequestHandler[] {
  const { engine, logger } = options;
  const handler: RequestHandler = async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyRequest(options.signingSecret, req.headers, raw);
    if (!check.ok) {
      logger.warn({ reason: check.reason, remote: req.socket.remoteAddress }, 'rejected unsigned translate request');
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Requests must be signed' } });
      return;
    }
    if (!options.accepting()) {
      sendError(res, 503, 'UNAVAILABLE', 'The translator is not accepting requests');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      sendError(res, 400, 'BAD_REQUEST', 'Body is not JSON');
      return;
    }
    const parsed = translateRequestSchema.safeParse(json);
    if (!parsed.success) {
      sendError(res, 400, 'BAD_REQUEST', parsed.error.issues.map((issue) => issue.message).join('; '));
      return;
    }
    const { text } = parsed.data;
    const targetLanguage = parsed.data.targetLanguage.trim().toLowerCase();
    if (codePointLength(text) > MAX_TEXT_CHARACTERS) {
      sendError(res, 400, 'BAD_REQUEST', `text is longer than ${MAX_TEXT_CHARACTERS} characters`);
      return;
    }
    if (!isSupportedLanguage(targetLanguage)) {
      sendError(res, 400, 'BAD_REQUEST', `unsupported target language: ${parsed.data.targetLanguage}`);
      return;
    }
    let sourceLanguage = parsed.data.sourceLanguage?.trim().toLowerCase();
    if (sourceLanguage !== undefined && !isSupportedLanguage(sourceLanguage)) {
      sendError(res, 400, 'BAD_REQUEST', `unsupported source language: ${parsed.data.sourceLanguage}`);
      return;
    }
    if (sourceLanguage === undefined) {
      const detected = detectLanguage(text);
      if (!detected) {
        sendError(res, 422, 'UNDETECTABLE', 'the language of the text could not be detected');
        return;
      }
      sourceLanguage = detected.language;
    }
    if (sourceLanguage === targetLanguage) {
      const body: TranslateResponse = {
        sourceLanguage,
        targetLanguage,
        translatedContent: text,
        translationModel: 'identity',
        fromCache: false,
      };
      res.json(body);
      return;
    }
    const lookup = engine.resolve(sourceLanguage, targetLanguage);
    if (!lookup.ok) {
      sendError(res, 422, 'NO_MODEL', lookup.reason);
      return;
    }
    try {
      const translated = await engine.translate(lookup.route, text);
      const body: TranslateResponse = {
        sourceLanguage,
        targetLanguage,
        translatedContent: translated.text,
        translationModel: translated.model,
        fromCache: translated.fromCache,
      };
      res.json(body);
    } catch (error) {
      logger.error({ err: error, sourceLanguage, targetLanguage }, 'translate request failed');
      sendError(res, 503, 'UNAVAILABLE', 'translation failed');
    }
  };
  return [express.raw({ type: () => true, limit: '64kb' }), handler];
}
