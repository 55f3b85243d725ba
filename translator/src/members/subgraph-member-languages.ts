import { signRequest } from '@parley/common';
import type { MemberLanguages } from './member-languages';

const MEMBER_IDS = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conversation { memberIds } } }';
const LANGUAGES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conversation { languages } } }';

export interface SubgraphMemberLanguagesOptions {
  conversationsUrl: string;
  usersUrl: string;
  signingSecret: string;
  timeoutMs?: number;
}

/**
 * Asks the subgraphs as the router would: the conversations subgraph for the member ids, then the
 * users subgraph for `Conversation.languages`, which it computes from those ids (@requires). Calls
 * are signed in the sender's name. Concurrent questions about one conversation share one answer.
 */
export class SubgraphMemberLanguages implements MemberLanguages {
  private readonly inFlight = new Map<string, Promise<string[]>>();

  constructor(private readonly options: SubgraphMemberLanguagesOptions) {}

  languagesOf(conversationId: string, asUserId: string): Promise<string[]> {
    const shared = this.inFlight.get(conversationId);
    if (shared) return shared;
    const answer = this.ask(conversationId, asUserId).finally(() => this.inFlight.delete(conversationId));
    this.inFlight.set(conversationId, answer);
    return answer;
  }

  private async ask(conversationId: string, asUserId: string): Promise<string[]> {
    const members = await this.entity<{ memberIds: string[] }>(this.options.conversationsUrl, MEMBER_IDS, asUserId, {
      __typename: 'Conversation',
      id: conversationId,
    });
    if (!members) return [];
    const languages = await this.entity<{ languages: string[] }>(this.options.usersUrl, LANGUAGES, asUserId, {
      __typename: 'Conversation',
      id: conversationId,
      memberIds: members.memberIds,
    });
    return languages?.languages ?? [];
  }

  private async entity<T>(
    url: string,
    query: string,
    asUserId: string,
    representation: Record<string, unknown>,
  ): Promise<T | null> {
    const body = JSON.stringify({ query, variables: { r: [representation] } });
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signRequest(this.options.signingSecret, { userId: asUserId, clientIp: '' }, body),
      },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    const result = (await response.json().catch(() => ({}))) as {
      data?: { _entities?: Array<T | null> };
      errors?: Array<{ message?: string }>;
    };
    if (!response.ok || !result.data?._entities || result.errors?.length) {
      const detail = result.errors?.map((error) => error.message).join('; ') ?? '';
      throw new Error(`${url} answered ${response.status} ${detail}`.trim());
    }
    return result.data._entities[0] ?? null;
  }
}
