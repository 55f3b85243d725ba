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

  describe('after an edit', () => {
    it("holds an event of the old version until the new version's translation is stored", async () => {
      const held = gate.wait(MESSAGE, 1, 'fr');
      const order: string[] = [];
      void held.then((outcome) => order.push(`v1 ${outcome}`));
      gate.supersede(MESSAGE, 2);
      const edit = gate.wait(MESSAGE, 2, 'fr');
      void edit.then((outcome) => order.push(`v2 ${outcome}`));
      gate.settle(event('translation.stored', 'fr', 1)); // the replaced version's: opens nothing
      await Promise.resolve();
      expect(order).toEqual([]);
      gate.settle(event('translation.stored', 'fr', 2));
      await Promise.all([held, edit]);
      // The earlier event first, as it was held first.
      expect(order).toEqual(['v1 stored', 'v2 stored']);
    });

    it('opens at once when the new version is already translated, or the message is deleted', async () => {
      gate.settle(event('translation.stored', 'fr', 2));
      const held = gate.wait(MESSAGE, 1, 'fr');
      gate.supersede(MESSAGE, 2);
      await expect(held).resolves.toBe('stored');

      const other = '00000000-0000-4000-8000-000000000009';
      const waiting = gate.wait(other, 1, 'fr');
      gate.supersede(other, null);
      await expect(waiting).resolves.toBe('superseded');
      await expect(gate.wait(other, 1, 'fr')).resolves.toBe('superseded');
    });

    it('waits for the newest version even when the old event starts waiting after the edit', async () => {
      gate.supersede(MESSAGE, 3);
      const late = gate.wait(MESSAGE, 1, 'fr');
      gate.settle(event('translation.stored', 'fr', 3));
      await expect(late).resolves.toBe('stored');
    });

    it('keeps the first deadline: a moved event does not wait longer', async () => {
      const held = gate.wait(MESSAGE, 1, 'fr');
      jest.advanceTimersByTime(2000);
      gate.supersede(MESSAGE, 2);
      jest.advanceTimersByTime(1000);
      await expect(held).resolves.toBe('deadline');
      // The new version's translation is then late: its messageUpdated follows.
      expect(gate.settle(event('translation.stored', 'fr', 2))).toEqual({ late: true, unawaited: false });
    });

    it('ignores an older or repeated version', async () => {
      gate.supersede(MESSAGE, 3);
      const waiting = gate.wait(MESSAGE, 3, 'fr');
      gate.supersede(MESSAGE, 2);
      gate.supersede(MESSAGE, 3);
      gate.settle(event('translation.stored', 'fr', 3));
      await expect(waiting).resolves.toBe('stored');
    });
  });
});
