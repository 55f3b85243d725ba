import type { GraphQLDataSource } from '@apollo/gateway';
import type { RouterContext } from '../context';

/**
 * Subgraphs whose answers never depend on the viewer's language settings: only translations
 * reads `extensions.parley.viewerLanguage`. A subgraph not listed is asked once per language.
 */
type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

const LANGUAGE_INDEPENDENT_SUBGRAPHS: ReadonlySet<string> = new Set(['users', 'conversations', 'messages', 'calls']);

/**
 * The subgraph fetches of one event, shared by the groups that resolve it. Groups differ by
 * language, but for a viewer-independent selection (see viewer-dependence.ts) only the
 * translations fetch depends on the language: the owner's primary fetch and, say, the sender's
 * profile are the same for every group, so each is sent once per event instead of once per group.
 * A failed fetch is not kept: a retry or a later group asks again. With `share` false (a
 * viewer-dependent selection, or a member checked alone) every fetch is sent, and only counted.
 */
export class EventFetches {
  private readonly responses = new Map<string, Promise<GatewayGraphQLResponse>>();
  private sharing: boolean;

  constructor(
    share: boolean,
    /** Called for each request actually sent to a subgraph. */
    private readonly onSent: () => void = () => undefined,
  ) {
    this.sharing = share;
  }

  get share(): boolean {
    return this.sharing;
  }

  /**
   * The event's subject changed (an edit or deletion of the message arrived): a group still to
   * resolve (one waiting for its translation) must read it afresh, not an answer from before.
   */
  invalidate(): void {
    this.sharing = false;
    this.responses.clear();
  }

  fetch(key: string, send: () => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    if (!this.sharing) {
      this.onSent();
      return send();
    }
    let response = this.responses.get(key);
    if (!response) {
      this.onSent();
      response = send();
      this.responses.set(key, response);
      response.then(
        (settled) => {
          if (settled.errors?.length) this.responses.delete(key);
        },
        () => this.responses.delete(key),
      );
    }
    // The gateway merges later fetches into the objects it receives: each group gets its own copy.
    return response.then(copyOf);
  }
}

const copyOf = (response: GatewayGraphQLResponse): GatewayGraphQLResponse => ({
  ...response,
  data: response.data == null ? response.data : structuredClone(response.data),
});

/** Data sources that send an event execution's fetches through its `context.eventFetches`. */
export function sharingEventFetches(
  serviceMap: Record<string, GraphQLDataSource<RouterContext>>,
): Record<string, GraphQLDataSource<RouterContext>> {
  return Object.fromEntries(
    Object.entries(serviceMap).map(([name, source]) => [
      name,
      {
        process(options) {
          // Only an event execution's context carries eventFetches (never a health check's or a query's).
          const context = options.context as RouterContext;
          const fetches = context.eventFetches;
          if (!fetches) return source.process(options);
          const key = [
            name,
            options.request.query,
            JSON.stringify(options.request.variables ?? {}),
            LANGUAGE_INDEPENDENT_SUBGRAPHS.has(name) ? '' : JSON.stringify(context.parley?.viewerLanguage ?? null),
          ].join('\u0000');
          return fetches.fetch(key, () => source.process(options));
        },
      } satisfies GraphQLDataSource<RouterContext>,
    ]),
  );
}
