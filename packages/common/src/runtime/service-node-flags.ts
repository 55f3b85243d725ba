/**
 * Node options every Parley service runs with: `pnpm start` (infra's supervisor), the container
 * entrypoint (infra/docker/entrypoint.sh), the benches' service processes and the test runs.
 *
 * `--experimental-async-context-frame` makes AsyncLocalStorage carry its store in V8's
 * continuation-preserved embedder data instead of async_hooks. MikroORM keeps its contexts in
 * AsyncLocalStorage, and with the async_hooks implementation one store anywhere in a process makes
 * every promise of that process run init, before and after hooks. Measured on Node 22.23: a loop of
 * awaits inside `als.run` ran 3× faster with the flag; the subgraphs' CPU per sendMessage fell by
 * about a tenth. It is Node 24's default, so the services already run as they will there.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--experimental-async-context-frame'];
