import { hasNul, quoted, wellFormed } from './storable-text';

describe('wellFormed', () => {
  it('replaces unpaired surrogates, high or low, with U+FFFD', () => {
    expect(wellFormed('a\uD800b')).toBe('a\uFFFDb');
    expect(wellFormed('a\uDC00b')).toBe('a\uFFFDb');
    expect(wellFormed('\uDC00\uD800')).toBe('\uFFFD\uFFFD');
    expect(wellFormed('end\uD83D')).toBe('end\uFFFD');
  });

  it('keeps paired surrogates and everything else as it is', () => {
    expect(wellFormed('😀 héllo 𠀋')).toBe('😀 héllo 𠀋');
    expect(wellFormed('')).toBe('');
  });

  it('agrees with String.prototype.toWellFormed', () => {
    const samples = ['\uD800\uD800\uDC00', '\uDBFF', 'x\uDFFFy', '😀\uD83D', '\uDE00😀'];
    for (const text of samples) {
      expect(wellFormed(text)).toBe((text as unknown as { toWellFormed(): string }).toWellFormed());
    }
  });
});

describe('hasNul', () => {
  it('finds a NUL anywhere', () => {
    expect(hasNul('a\u0000b')).toBe(true);
    expect(hasNul('\u0000')).toBe(true);
    expect(hasNul('plain')).toBe(false);
  });
});

describe('quoted', () => {
  it('quotes a short value whole and cuts a long one at 32 characters', () => {
    expect(quoted('xx')).toBe('"xx"');
    expect(quoted('y'.repeat(5000))).toBe(JSON.stringify(`${'y'.repeat(32)}…`));
    expect(quoted('😀'.repeat(40))).toBe(JSON.stringify(`${'😀'.repeat(32)}…`));
  });
});
