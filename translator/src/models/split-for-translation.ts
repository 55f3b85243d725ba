/**
 * Seq2seq models translate a bounded input (opus-mt: 512 tokens), and quality drops well before
 * that, so a long message is translated as chunks of whole sentences and put back together with
 * the whitespace that separated them. A single sentence longer than a chunk is cut at word
 * boundaries (or anywhere, for scripts without spaces) rather than being truncated away.
 */
export interface TextChunk {
  text: string;
  /** Whitespace that followed this chunk in the original, re-inserted after its translation. */
  separator: string;
}

/** About 150 tokens of Latin-script text: well inside every supported model's window. */
export const DEFAULT_MAX_CHUNK_CHARS = 400;

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

export function splitForTranslation(text: string, maxChars = DEFAULT_MAX_CHUNK_CHARS): TextChunk[] {
  if (text.length <= maxChars) return [{ text, separator: '' }];
  const pieces = [...sentences.segment(text)].flatMap(({ segment }) => cutLong(segment, maxChars));
  const chunks: TextChunk[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && current.length + piece.length > maxChars) {
      chunks.push(withSeparator(current));
      current = '';
    }
    current += piece;
  }
  if (current) chunks.push(withSeparator(current));
  return chunks.filter((chunk) => chunk.text.length > 0 || chunk.separator.length > 0);
}

/** Translations of the chunks, joined with the original separators. */
export function joinTranslatedChunks(chunks: readonly TextChunk[], translations: readonly string[]): string {
  return chunks
    .map((chunk, i) => (translations[i] ?? '') + chunk.separator)
    .join('')
    .trimEnd();
}

function withSeparator(piece: string): TextChunk {
  const text = piece.trimEnd();
  return { text, separator: piece.slice(text.length) };
}

function cutLong(segment: string, maxChars: number): string[] {
  if (segment.length <= maxChars) return [segment];
  const out: string[] = [];
  let rest = segment;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const space = window.lastIndexOf(' ');
    const cut = space > maxChars / 2 ? space + 1 : maxChars;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}
