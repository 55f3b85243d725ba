import { fetchEntities } from '@parley/common';
import type { MemberLanguages } from './member-languages';

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
    const members = await this.entity<{ memberIds: string[] }>(
      this.options.conversationsUrl,
      '... on Conversation { memberIds }',
      asUserId,
      {
        __typename: 'Conversation',
        id: conversationId,
      },
    );
    if (!members) return [];
    const languages = await this.entity<{ languages: string[] }>(
      this.options.usersUrl,
      '... on Conversation { languages }',
      asUserId,
      {
        __typename: 'Conversation',
        id: conversationId,
        memberIds: members.memberIds,
      },
    );
    return languages?.languages ?? [];
  }

  private async entity<T>(
    url: string,
    selection: string,
    asUserId: string,
    representation: Record<string, unknown>,
  ): Promise<T | null> {
    const [entity] = await fetchEntities<T>({
      url,
      signingSecret: this.options.signingSecret,
      timeoutMs: this.options.timeoutMs ?? 5_000,
      asUserId,
      selection,
      representations: [representation],
    });
    return entity ?? null;
  }
}
