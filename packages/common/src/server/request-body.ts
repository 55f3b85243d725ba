import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';

/** Why a body was not read: the status and message to answer with (GraphQL's error shape, BAD_REQUEST). */
export interface BodyRefusal {
  ok: false;
  status: 400 | 413;
  message: string;
}

export type RequestBody = { ok: true; bytes: Buffer } | BodyRefusal;

const EMPTY = Buffer.alloc(0);

/** body-parser's test (type-is `hasBody`): a request without either header has no body to read. */
export function hasRequestBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}

/**
 * Whether the body arrives as sent. readRequestBody does not inflate gzip, deflate, br or zstd
 * bodies: callers leave those (no client of ours sends them) to Express's body parsers.
 */
export function hasIdentityEncoding(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  return !encoding || encoding.toLowerCase() === 'identity';
}

/**
 * Reads a request's body (identity encoding) as raw-body does for body-parser: at most `limit`
 * bytes, a Content-Length over the limit refused before anything is read, and a body that ends
 * short of its Content-Length or is cut off refused as malformed. Past the limit the rest is
 * discarded as it arrives, never kept, and the refusal comes once the request has ended (as
 * body-parser answers), so a keep-alive connection stays usable.
 *
 * A request without a body (see hasRequestBody) reads as zero bytes.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  if (!hasRequestBody(req)) return Promise.resolve({ ok: true, bytes: EMPTY });
  const tooLarge: BodyRefusal = { ok: false, status: 413, message: `Request body is larger than ${limit} bytes` };
  const declared = req.headers['content-length'];
  const length = declared === undefined ? undefined : Number.parseInt(declared, 10);
  if (length !== undefined && length > limit) return discardRest(req, tooLarge);

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stopReading = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFailure);
      req.off('close', onFailure);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) {
        chunks.push(chunk);
        return;
      }
      stopReading();
      chunks.length = 0;
      resolve(discardRest(req, tooLarge));
    };
    const onEnd = () => {
      stopReading();
      if (length !== undefined && received !== length) resolve(malformed());
      else resolve({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received) });
    };
    // An error or a close before 'end': the client went away or broke the framing.
    const onFailure = () => {
      stopReading();
      resolve(malformed());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onFailure);
    req.on('close', onFailure);
  });
}

const malformed = (): BodyRefusal => ({ ok: false, status: 400, message: 'Malformed request' });

/** Lets the rest of the body flow into nothing, then answers `refusal`. */
function discardRest(req: IncomingMessage, refusal: BodyRefusal): Promise<RequestBody> {
  return new Promise((resolve) => {
    finished(req, () => resolve(refusal));
    req.resume();
  });
}
