import { joinTranslatedChunks, splitForTranslation } from './split-for-translation';

describe('splitForTranslation', () => {
  it('keeps a short text whole', () => {
    expect(splitForTranslation('Hello there. How are you?', 400)).toEqual([
      { text: 'Hello there. How are you?', separator: '' },
    ]);
  });

  it('groups whole sentences into chunks no longer than the limit', () => {
    const sentence = 'This sentence has exactly forty-five chars. ';
    const text = sentence.repeat(20);
    const chunks = splitForTranslation(text, 100);
    expect(chunks.every((chunk) => chunk.text.length <= 100)).toBe(true);
    expect(chunks.every((chunk) => chunk.text.endsWith('.'))).toBe(true);
    expect(chunks.map((chunk) => chunk.text + chunk.separator).join('')).toBe(text);
  });

  it('cuts a sentence longer than the limit at word boundaries, and unspaced scripts anywhere', () => {
    const words = 'word '.repeat(100);
    const chunks = splitForTranslation(words, 50);
    expect(chunks.every((chunk) => chunk.text.length <= 50)).toBe(true);
    expect(chunks.map((chunk) => chunk.text + chunk.separator).join('')).toBe(words);
    const chinese = '会'.repeat(130);
    expect(splitForTranslation(chinese, 50).map((chunk) => chunk.text.length)).toEqual([50, 50, 30]);
  });

  it('joins translations with the original separators', () => {
    const chunks = [
      { text: 'A.', separator: '\n\n' },
      { text: 'B.', separator: ' ' },
    ];
    expect(joinTranslatedChunks(chunks, ['X.', 'Y.'])).toBe('X.\n\nY.');
  });
});
