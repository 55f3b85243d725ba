import { Agent, request } from 'node:http';

/** Credentials of a client of the router. */
export const bearer = (token: string) => (): Record<string, string> => ({ authorization: `Bearer ${token}` });

/**
 * The load generator's HTTP client: POSTs JSON over keep-alive node:http sockets, one per request
 * in flight. It shares the machine's CPUs with the services it measures, so it should cost as
 * little as a client can: fetch (undici) spent about 0.8 ms of CPU per call when the services ran
 * in the bench process. The requests are the same as a browser's (bearer token, JSON body), and so
 * is the load (the concurrency is the caller's).
 */
export class LoadClient {
  private readonly agent: Agent;

  /** `headersFor` adds the credentials (a bearer token, or a router signature over the body). */
  constructor(
    private readonly url: string,
    private readonly headersFor: (body: string) => Record<string, string>,
    concurrency: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  /** The `data` of a GraphQL request that must succeed; throws with its errors otherwise. */
  async data<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify({ query, variables });
    const text = await new Promise<string>((resolve, reject) => {
      const outgoing = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...this.headersFor(body),
          },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    const result = JSON.parse(text) as { data?: T | null; errors?: unknown[] };
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  close(): void {
    this.agent.destroy();
  }
}
