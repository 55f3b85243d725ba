import { Client, codes } from '../support/client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('health and readiness', () => {
  it('answers /health while the process runs', async () => {
    const response = await fetch(`${stack.routerOrigin}/health`);
    expect(response.status).toBe(200);
  });

  it('answers /ready 200 when every subgraph, PostgreSQL, Redis and RabbitMQ answer', async () => {
    const response = await fetch(`${stack.routerOrigin}/ready`);
    const body = (await response.json()) as { checks: Record<string, string>; down: string[] };
    expect(response.status).toBe(200);
    expect(body.down).toEqual([]);
    expect(Object.keys(body.checks).sort()).toEqual(
      [
        'postgresql',
        'rabbitmq',
        'redis',
        'subgraph:conversations',
        'subgraph:messages',
        'subgraph:translations',
        'subgraph:users',
      ].sort(),
    );
  });

  it('answers /ready 503 naming what is down', async () => {
    // No translator: it declares its queues at start, which needs the broker this stack lacks.
    const broken = await startStack({
      translator: 'none',
      env: { REDIS_URL: 'redis://127.0.0.1:1', AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' },
    });
    try {
      const response = await fetch(`${broken.routerOrigin}/ready`);
      const body = (await response.json()) as { down: string[] };
      expect(response.status).toBe(503);
      expect(body.down.sort()).toEqual(['rabbitmq', 'redis']);
    } finally {
      await broken.stop();
    }
  });
});

describe('GraphiQL', () => {
  it('is served by the router from bundled assets, no CDN', async () => {
    const response = await fetch(stack.routerUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      const file = await fetch(new URL(asset, stack.routerUrl));
      expect(file.status).toBe(200);
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it('wires subscriptions to the same endpoint over graphql-ws', async () => {
    const html = await (await fetch(stack.routerUrl, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain("httpUrl.replace(/^http/, 'ws')");
    expect(html).toContain('graphqlWs.createClient');
  });

  it('ships an inline script that parses', async () => {
    const html = await (await fetch(stack.routerUrl, { headers: { accept: 'text/html' } })).text();
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    expect(inline).toHaveLength(1);
    expect(() => new Function(inline[0]!)).not.toThrow();
  });
});

describe('production mode', () => {
  it('turns introspection, GraphiQL and field suggestions off', async () => {
    const production = await startStack({
      env: {
        NODE_ENV: 'production',
        JWT_SECRET: 'j'.repeat(40),
        SUBGRAPH_SIGNING_SECRET: 'p'.repeat(40),
      },
    });
    try {
      const client = new Client(production.routerUrl);
      const introspection = await client.request('{ __schema { types { name } } }');
      expect(introspection.data ?? null).toBeNull();
      expect(codes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      const typo = await client.request('{ supportedLanguage { code } }');
      expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
      const page = await fetch(production.routerUrl, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('GraphiQL');
    } finally {
      await production.stop();
    }
  });

  it('refuses to start with the development secrets', async () => {
    await expect(startStack({ env: { NODE_ENV: 'production' } })).rejects.toThrow(
      /JWT_SECRET: must be set in production/,
    );
  });

  it('suggests field names in development', async () => {
    const typo = await new Client(stack.routerUrl).request('{ supportedLanguage { code } }');
    expect(typo.errors?.[0]?.message).toMatch(/Did you mean/);
  });
});
