import { hasIdentityEncoding, hasRequestBody, readRequestBody, type BodyRefusal } from '@parley/common';
import type { IncomingMessage } from 'node:http';

/** Spaces and tabs around a header's part (content-type's parser trims only these). */
const OWS_AROUND = /^[ \t]+|[ \t]+$/g;

export type JsonBody = { ok: true; value: unknown } | BodyRefusal;

/**
 * The Content-Types whose bodies express.json() reads as UTF-8 (`application/json`, alone or with
 * `charset=utf-8`, in any case and spacing content-type's parser accepts). Any other parameter or
 * charset is left to Express: see readsJsonBodyLikeExpress.
 */
const UTF8_JSON = /^[ \t]*application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;

/**
 * Whether readJsonBody answers for this request exactly as express.json() would: always when the
 * body is not read at all (none, or not `application/json`), and for UTF-8 JSON sent as is.
 * Another charset (body-parser decodes utf-16 and refuses the rest with 415) or a compressed body
 * (it inflates) is left to Express, which still serves them, as before.
 */
export function readsJsonBodyLikeExpress(req: IncomingMessage): boolean {
  if (!hasRequestBody(req) || !isJsonContentType(req.headers['content-type'])) return true;
  return UTF8_JSON.test(req.headers['content-type']!) && hasIdentityEncoding(req);
}

/**
 * express.json() for the requests readsJsonBodyLikeExpress accepts: `undefined` when there is no
 * body or it is not JSON (Apollo then answers 400 itself), at most `limit` bytes, a leading BOM
 * dropped, an empty body read as {}, and only an object or an array accepted.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  if (!hasRequestBody(req) || !isJsonContentType(req.headers['content-type'])) return { ok: true, value: undefined };
  const body = await readRequestBody(req, limit);
  if (!body.ok) return body;
  try {
    return { ok: true, value: parseStrictJson(decodeUtf8(body.bytes)) };
  } catch {
    return { ok: false, status: 400, message: 'Malformed request' };
  }
}

/** type-is's test: the media type before any parameter, without spaces or tabs around it, in any case. */
function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const semicolon = header.indexOf(';');
  const type = semicolon === -1 ? header : header.slice(0, semicolon);
  return type.replace(OWS_AROUND, '').toLowerCase() === 'application/json';
}

/** As iconv-lite decodes for raw-body: a byte-order mark is not part of the text. */
function decodeUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** body-parser's strict JSON: '' is {}, and the first non-blank character must open an object or array. */
export function parseStrictJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = firstNonBlank(text);
  if (first !== '{' && first !== '[') throw new SyntaxError('JSON body must be an object or an array');
  return JSON.parse(text) as unknown;
}

/** The first character that is not JSON whitespace (RFC 8259: space, tab, line feed, carriage return). */
function firstNonBlank(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return text[i];
  }
  return undefined;
}
