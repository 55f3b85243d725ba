import type { IncomingMessage } from 'node:http';

/**
 * The client's address under Express's `trust proxy` set to a hop count (what `req.ip` gives, by
 * proxy-addr's rule): of the socket's address followed by X-Forwarded-For read right to left, the
 * entry `trustedHops` steps in, or the left-most one when the header has fewer. With 0, the socket's
 * address. X-Forwarded-For is split on commas, spaces trimmed and empty entries dropped, as the
 * `forwarded` package does.
 */
export function clientIp(req: IncomingMessage, trustedHops: number): string | undefined {
  const socketAddress = req.socket.remoteAddress;
  if (trustedHops === 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  if (!header) return socketAddress;
  // node:http joins repeated X-Forwarded-For lines itself; an array only comes from a hand-made request.
  const forwarded = forwardedRightToLeft(Array.isArray(header) ? header.join(', ') : header, trustedHops);
  return forwarded.length === 0 ? socketAddress : forwarded[forwarded.length - 1];
}

/** Up to `count` addresses of an X-Forwarded-For header, the nearest proxy's first. */
function forwardedRightToLeft(header: string, count: number): string[] {
  const addresses: string[] = [];
  let end = header.length;
  let start = header.length;
  for (let i = header.length - 1; i >= 0 && addresses.length < count; i--) {
    const code = header.charCodeAt(i);
    if (code === 0x20) {
      if (start === end) start = end = i;
    } else if (code === 0x2c) {
      if (start !== end) addresses.push(header.substring(start, end));
      start = end = i;
    } else {
      start = i;
    }
  }
  if (start !== end && addresses.length < count) addresses.push(header.substring(start, end));
  return addresses;
}
