import { randomBytes } from 'node:crypto';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
  raw: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

/**
 * A GraphQL-over-HTTP client as a browser or app would be, with its own (made-up) client address
 * in X-Forwarded-For so per-address rate limits of one test never touch another's.
 */
export class Client {
  private readonly forwardedFor = `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

  constructor(
    private readonly url: string,
    public token?: string,
  ) {}

  async request<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<T>> {
    const token = options.token ?? this.token;
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': this.forwardedFor,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const raw = await response.text();
    const body = JSON.parse(raw) as Omit<GraphQLResponse<T>, 'status' | 'raw'>;
    return { status: response.status, raw, ...body };
  }

  /** Data of a request that must succeed; throws with the errors otherwise. */
  async data<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }
}

export const codes = (result: GraphQLResponse): unknown[] =>
  (result.errors ?? []).map((error) => error.extensions?.code);
