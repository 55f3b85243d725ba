import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

export interface ClientDocument {
  /** File path as shown in messages. */
  file: string;
  /** Line of the file where the document starts (1 for a .graphql file), to report real lines. */
  line: number;
  body: string;
}

const DOCUMENT_FILES = new Set(['.graphql', '.gql']);
const CODE_FILES = new Set(['.ts', '.tsx']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'generated', '__generated__']);

/**
 * Tagged templates holding GraphQL: gql`…`, graphql`…`, graphql(`…`) and /* GraphQL *\/ `…`.
 * Only the forms clients use for operations; other template literals are left alone.
 */
const EMBEDDED = /(?:\bgql|\bgraphql|\/\*\s*GraphQL\s*\*\/)\s*(?:\(\s*)?`((?:[^`\\]|\\[\s\S])*)`/g;

/** Every GraphQL document under `directory` (the web client's sources); none when it does not exist. */
export function findClientDocuments(directory: string, displayRoot: string = directory): ClientDocument[] {
  if (!existsSync(directory)) return [];
  return sourceFiles(directory).flatMap((path) => {
    const file = relative(displayRoot, path);
    const text = readFileSync(path, 'utf8');
    return DOCUMENT_FILES.has(extname(path)) ? [{ file, line: 1, body: text }] : extractEmbedded(file, text);
  });
}

export function extractEmbedded(file: string, text: string): ClientDocument[] {
  return [...text.matchAll(EMBEDDED)].map((match) => {
    const bodyStart = match.index + match[0].indexOf('`') + 1;
    return {
      file,
      line: text.slice(0, bodyStart).split('\n').length,
      // Interpolations are fragments spread in by name (`${UserFields}`); the fragment itself is
      // found in its own document. Blanking them keeps every other position where it was.
      body: (match[1] ?? '').replace(/\$\{[^}]*\}/g, (interpolation) => interpolation.replace(/[^\n]/g, ' ')),
    };
  });
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : sourceFiles(path);
      const extension = extname(entry.name);
      return DOCUMENT_FILES.has(extension) || CODE_FILES.has(extension) ? [path] : [];
    });
}
