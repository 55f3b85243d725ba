import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Bundled browser files, served from node_modules: GraphiQL must work with no CDN and no internet. */
const ASSETS: Record<string, string> = {
  'react.js': join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
  'graphql-ws.js': join(packageDir('graphql-ws'), 'umd/graphql-ws.min.js'),
};

export const GRAPHIQL_ASSET_PREFIX = '/graphiql-assets';

export function graphiqlAssets(): Router {
  const router = express.Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_req, res) => {
      res.sendFile(file, { maxAge: '1d', dotfiles: 'allow', headers: { 'x-content-type-options': 'nosniff' } });
    });
  }
  return router;
}

/**
 * The page: the token typed into the headers pane (`{"Authorization": "Bearer ..."}`) is used for
 * HTTP and for the WebSocket's connection_init, so subscriptions run against the same endpoint.
 */
export function graphiqlHtml(endpointPath: string): string {
  const asset = (name: string) => `${GRAPHIQL_ASSET_PREFIX}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Parley GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1" />
<link rel="stylesheet" href="${asset('graphiql.css')}" />
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="${asset('react.js')}"></script>
<script src="${asset('react-dom.js')}"></script>
<script src="${asset('graphql-ws.js')}"></script>
<script src="${asset('graphiql.js')}"></script>
<script>
  const httpUrl = new URL(${JSON.stringify(endpointPath)}, location.href).toString();
  const wsUrl = httpUrl.replace(/^http/, 'ws');
  const headersKey = 'graphiql:headers';
  const currentAuthorization = () => {
    try { return JSON.parse(localStorage.getItem(headersKey) || '{}').Authorization; } catch { return undefined; }
  };
  const wsClient = graphqlWs.createClient({
    url: wsUrl,
    lazy: true,
    connectionParams: () => {
      const authorization = currentAuthorization();
      return authorization ? { authorization } : {};
    },
  });
  const fetcher = GraphiQL.createFetcher({ url: httpUrl, wsClient });
  const defaultQuery = [
    '# Welcome to Parley. Sign up (or signIn), then put the token in the Headers pane below:',
    '#   {"Authorization": "Bearer <token>"}',
    '# and try { me { id preferredLanguage } myConversations { id languages } }',
    '',
    'mutation SignUp {',
    '  signUp(input: { email: "ada@example.com", password: "correct horse", displayName: "Ada", systemLanguage: "en" }) {',
    '    token',
    '    user { id displayName preferredLanguage }',
    '  }',
    '}',
    '',
  ].join('\\n');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      headers: localStorage.getItem(headersKey) || '{}',
      defaultQuery,
      onEditHeaders: (value) => localStorage.setItem(headersKey, value),
      shouldPersistHeaders: true,
    }),
  );
</script>
</body>
</html>`;
}
