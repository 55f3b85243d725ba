import { describe, expect, it } from '@jest/globals';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { RouterContext } from '../context';
import { EventFetches, sharingEventFetches } from './event-fetches';

type Options = Parameters<GraphQLDataSource<RouterContext>['process']>[0];

function recordingSource(answer: (call: number) => { data?: Record<string, unknown>; errors?: unknown[] }) {
  const calls: Options[] = [];
  const source: GraphQLDataSource<RouterContext> = {
    process: async (options) => {
      calls.push(options);
      return answer(calls.length) as never;
    },
  };
  return { source, calls };
}

const fetchAs = (
  source: GraphQLDataSource<RouterContext>,
  context: RouterContext,
  query = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Message{id}}}',
  variables: Record<string, unknown> = { representations: [{ __typename: 'Message', id: 'm1' }] },
) =>
  source.process({
    kind: 'incoming operation',
    request: { query, variables },
    context,
    incomingRequestContext: {} as never,
  } as unknown as Options);

const viewer = (preferredLanguage: string) => ({ preferredLanguage, autoTranslateEnabled: true });

describe('sharingEventFetches', () => {
  it('sends a language-independent fetch once per event, whatever the groups’ languages', async () => {
    const messages = recordingSource(() => ({ data: { messageAdded: { id: 'm1' } } }));
    const map = sharingEventFetches({ messages: messages.source });
    let sent = 0;
    const eventFetches = new EventFetches(true, () => void sent++);
    const [en, fr] = await Promise.all([
      fetchAs(map.messages!, { userId: 'a', clientIp: '', eventFetches, parley: { viewerLanguage: viewer('en') } }),
      fetchAs(map.messages!, { userId: 'b', clientIp: '', eventFetches, parley: { viewerLanguage: viewer('fr') } }),
    ]);
    expect(messages.calls).toHaveLength(1);
    expect(sent).toBe(1);
    expect(en.data).toEqual(fr.data);
  });

  it('asks translations once per language', async () => {
    const translations = recordingSource(() => ({ data: { _entities: [{ text: 'x' }] } }));
    const map = sharingEventFetches({ translations: translations.source });
    const eventFetches = new EventFetches(true);
    for (const language of ['en', 'fr', 'fr']) {
      await fetchAs(map.translations!, {
        userId: 'a',
        clientIp: '',
        eventFetches,
        parley: { viewerLanguage: viewer(language) },
      });
    }
    expect(translations.calls).toHaveLength(2);
  });

  it('keeps fetches with other variables or of other events apart', async () => {
    const users = recordingSource(() => ({ data: { _entities: [{ displayName: 'A' }] } }));
    const map = sharingEventFetches({ users: users.source });
    const first = new EventFetches(true);
    const ids = (id: string) => ({ representations: [{ __typename: 'User', id }] });
    await fetchAs(map.users!, { userId: 'a', clientIp: '', eventFetches: first }, 'q', ids('u1'));
    await fetchAs(map.users!, { userId: 'a', clientIp: '', eventFetches: first }, 'q', ids('u2'));
    await fetchAs(map.users!, { userId: 'a', clientIp: '', eventFetches: new EventFetches(true) }, 'q', ids('u1'));
    expect(users.calls).toHaveLength(3);
  });

  it('never shares outside an event execution, nor when told not to (but still counts)', async () => {
    const messages = recordingSource(() => ({ data: { ok: true } }));
    const map = sharingEventFetches({ messages: messages.source });
    await fetchAs(map.messages!, { userId: 'a', clientIp: '' });
    await fetchAs(map.messages!, { userId: 'a', clientIp: '' });
    let sent = 0;
    const alone = new EventFetches(false, () => void sent++);
    await fetchAs(map.messages!, { userId: 'a', clientIp: '', eventFetches: alone });
    await fetchAs(map.messages!, { userId: 'a', clientIp: '', eventFetches: alone });
    expect(messages.calls).toHaveLength(4);
    expect(sent).toBe(2);
  });

  it('gives each group its own copy: the gateway merges later fetches into what it receives', async () => {
    const messages = recordingSource(() => ({ data: { messageAdded: { id: 'm1' } } }));
    const map = sharingEventFetches({ messages: messages.source });
    const eventFetches = new EventFetches(true);
    const context = { userId: 'a', clientIp: '', eventFetches };
    const first = await fetchAs(map.messages!, context);
    (first.data!.messageAdded as Record<string, unknown>).text = 'merged by the first group';
    const second = await fetchAs(map.messages!, context);
    expect(second.data).toEqual({ messageAdded: { id: 'm1' } });
  });

  it('does not keep a failed fetch: a retry asks the subgraph again', async () => {
    const messages = recordingSource((call) =>
      call === 1 ? { errors: [{ message: 'timeout', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } : { data: {} },
    );
    const map = sharingEventFetches({ messages: messages.source });
    const eventFetches = new EventFetches(true);
    const context = { userId: 'a', clientIp: '', eventFetches };
    expect((await fetchAs(map.messages!, context)).errors).toHaveLength(1);
    expect((await fetchAs(map.messages!, context)).errors).toBeUndefined();
    expect(messages.calls).toHaveLength(2);
  });

  it('reads afresh once invalidated (the message changed while a group waited for its translation)', async () => {
    let content = 'before the edit';
    const messages = recordingSource(() => ({ data: { messageAdded: { content } } }));
    const map = sharingEventFetches({ messages: messages.source });
    const eventFetches = new EventFetches(true);
    const context = { userId: 'a', clientIp: '', eventFetches };
    await fetchAs(map.messages!, context);
    content = 'after the edit';
    eventFetches.invalidate();
    expect((await fetchAs(map.messages!, context)).data).toEqual({ messageAdded: { content: 'after the edit' } });
    expect(eventFetches.share).toBe(false);
    expect(messages.calls).toHaveLength(2);
  });
});
