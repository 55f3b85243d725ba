import { jest } from '@jest/globals';
import type { TranslationEvent } from '@parley/common';
import { TranslationGate } from './translation-gate';

const MESSAGE = '00000000-0000-4000-8000-000000000001';
const event = (type: TranslationEvent['type'], targetLanguage = 'fr', messageVersion = 1): TranslationEvent => ({
  type,
  messageId: MESSAGE,
  conversationId: '00000000-0000-4000-8000-000000000002',
  seq: 1,
  messageVersion,
  sourceLanguage: 'en',
  targetLanguage,
  translationModel: 'test',
  reason: null,
  occurredAt: new Date().toISOString(),
});

describe('TranslationGate', () => {
  let gate: TranslationGate;
  beforeEach(() => {
    jest.useFakeTimers();
    gate = new TranslationGate(3000);
  });
  afterEach(() => {
    gate.dispose();
    jest.useRealTimers();
  });

  it('opens when the translation into the waiting language is stored, and only that one', async () => {
    const waiting = gate.wait(MESSAGE, 1, 'fr');
    // Nobody waited for Spanish: asked for later (a joiner), so its readers get it as an update.
    expect(gate.settle(event('translation.stored', 'es'))).toEqual({ late: false, unawaited: true });
    expect(gate.settle(event('translation.stored', 'fr'))).toEqual({ late: false, unawaited: false });
    await expect(waiting).resolves.toBe('stored');
  });

  it('opens at once for a translation announced before anyone waited', async () => {
    gate.settle(event('translation.failed'));
    await expect(gate.wait(MESSAGE, 1, 'fr')).resolves.toBe('failed');
  });

  it('gives up at the deadline; the translation that follows is late exactly once', async () => {
    const waiting = gate.wait(MESSAGE, 1, 'fr');
    jest.advanceTimersByTime(3000);
    await expect(waiting).resolves.toBe('deadline');
    expect(gate.settle(event('translation.stored'))).toEqual({ late: true, unawaited: false });
    expect(gate.settle(event('translation.stored'))).toEqual({ late: false, unawaited: false });
  });

  it('keeps versions apart', async () => {
    const waiting = gate.wait(MESSAGE, 2, 'fr');
    gate.settle(event('translation.stored', 'fr', 1));
    jest.advanceTimersByTime(3000);
    await expect(waiting).resolves.toBe('deadline');
  });
});
