import express from 'express';
import type { IncomingMessage } from 'node:http';
import { clientIp } from './client-ip';

/** What Express's `req.ip` gives with `trust proxy` set to `hops` (proxy-addr), the reference. */
function expressIp(hops: number, socketAddress: string | undefined, forwardedFor?: string): string | undefined {
  const app = express();
  app.set('trust proxy', hops);
  const req = Object.create(app.request, {
    headers: { value: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } },
    socket: { value: { remoteAddress: socketAddress } },
  }) as express.Request;
  return req.ip;
}

function request(socketAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  return {
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress: socketAddress },
  } as unknown as IncomingMessage;
}

describe('clientIp', () => {
  const headers = [
    undefined,
    '',
    '203.0.113.7',
    '203.0.113.7, 10.0.0.2',
    '203.0.113.7,10.0.0.2,10.0.0.3',
    ' 203.0.113.7 ,  10.0.0.2 ',
    '203.0.113.7,,10.0.0.2, ,',
    'spoofed, 203.0.113.7, 10.0.0.2',
    '2001:db8::1, ::ffff:10.0.0.2',
    'a b, c',
  ];

  it.each([0, 1, 2, 3, 5])('gives what Express gives with trust proxy = %i', (hops) => {
    for (const socketAddress of ['127.0.0.1', '::1', undefined]) {
      for (const header of headers) {
        expect([header, clientIp(request(socketAddress, header), hops)]).toEqual([
          header,
          expressIp(hops, socketAddress, header),
        ]);
      }
    }
  });

  it('believes the forwarded address only through trusted hops', () => {
    const req = request('10.0.0.9', 'spoofed, 203.0.113.7, 10.0.0.2');
    expect(clientIp(req, 0)).toBe('10.0.0.9');
    expect(clientIp(req, 1)).toBe('10.0.0.2');
    expect(clientIp(req, 2)).toBe('203.0.113.7');
  });
});
