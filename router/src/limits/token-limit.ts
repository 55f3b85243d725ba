import { Lexer, Source, TokenKind } from 'graphql';

/** The answer to a body whose query is over the token limit (400, GRAPHQL_PARSE_FAILED), or null. */
export function tokenLimitRefusal(body: unknown, max: number): { status: 400; message: string } | null {
  const query = (body as { query?: unknown } | undefined)?.query;
  if (typeof query !== 'string' || !exceedsTokenLimit(query, max)) return null;
  return { status: 400, message: `Document has more than ${max} tokens` };
}

/**
 * Counts tokens up to `max + 1` without building an AST, so a huge document costs little to refuse.
 * A lexing error is left for the parser to report properly.
 */
export function exceedsTokenLimit(query: string, max: number): boolean {
  // Every token takes at least one character: a document no longer than the limit is within it.
  if (query.length <= max) return false;
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > max) return true;
    }
  } catch {
    return false;
  }
  return false;
}
