import { createLogger, type TranslationRequest } from '@parley/common';
import type { ClaimKey, RequestClaims } from './request-claims';
import type { TranslationRequestPublisher } from './translation-request-publisher';
import { TranslationRequester } from './translation-requester';

/** Claims held in a set: the first claim of a key wins, as SET NX would. */
class SetClaims {
  readonly held = new Set<string>();
  readonly released: string[] = [];
  async claim(key: ClaimKey): Promise<boolean> {
    const id = `${key.messageId}@${key.version}/${key.language}`;
    if (this.held.has(id)) return false;
    this.held.add(id);
    return true;
  }
  async release(key: ClaimKey): Promise<void> {
    const id = `${key.messageId}@${key.version}/${key.language}`;
    this.held.delete(id);
    this.released.push(id);
  }
}

class ListPublisher {
  readonly sent: TranslationRequest[] = [];
  up = true;
  confirms = true;
  available(): boolean {
    return this.up;
  }
  async send(request: TranslationRequest): Promise<boolean> {
    if (!this.up || !this.confirms) return false;
    this.sent.push(request);
    return true;
  }
}

const message = { id: '5b0c6c52-3f55-4b43-a9f5-4a2b35f4fd0a', version: 2, content: 'Hello', originalLanguage: 'en' };

function setup(budgets: Record<string, number> = {}) {
  const claims = new SetClaims();
  const publisher = new ListPublisher();
  const requester = new TranslationRequester(
    claims as unknown as RequestClaims,
    publisher as unknown as TranslationRequestPublisher,
    createLogger('test', 'silent'),
    async (userId) => {
      if (!(userId in budgets)) return true;
      budgets[userId]! -= 1;
      return budgets[userId]! >= 0;
    },
  );
  return { claims, publisher, requester };
}

describe('TranslationRequester', () => {
  it('puts the languages asked of one message version in the same tick into one job', async () => {
    const { publisher, requester } = setup();
    requester.request(message, 'de', 'reader');
    requester.request(message, 'it', 'reader');
    requester.request(message, 'de', 'reader');
    requester.request({ ...message, version: 3 }, 'de', 'reader');
    await requester.idle();
    const jobs = publisher.sent.map((job) => [job.version, job.targetLanguages] as const);
    expect(jobs.sort(([a], [b]) => a - b)).toEqual([
      [2, ['de', 'it']],
      [3, ['de']],
    ]);
    expect(publisher.sent.find((job) => job.version === 2)).toMatchObject({
      messageId: message.id,
      content: 'Hello',
      originalLanguage: 'en',
    });
  });

  it('queues only the languages whose claim it won', async () => {
    const { claims, publisher, requester } = setup();
    claims.held.add(`${message.id}@2/de`);
    requester.request(message, 'de', 'reader');
    requester.request(message, 'fr', 'reader');
    await requester.idle();
    expect(publisher.sent.map((job) => job.targetLanguages)).toEqual([['fr']]);
    requester.request(message, 'de', 'reader');
    requester.request(message, 'fr', 'reader');
    await requester.idle();
    expect(publisher.sent).toHaveLength(1);
  });

  it('gives the claims back when the job was not confirmed, and takes none while the broker is away', async () => {
    const { claims, publisher, requester } = setup();
    publisher.confirms = false;
    requester.request(message, 'de', 'reader');
    await requester.idle();
    expect(claims.released).toEqual([`${message.id}@2/de`]);
    expect(claims.held.size).toBe(0);

    publisher.up = false;
    requester.request(message, 'de', 'reader');
    await requester.idle();
    expect(claims.held.size).toBe(0);

    publisher.up = true;
    publisher.confirms = true;
    requester.request(message, 'de', 'reader');
    await requester.idle();
    expect(publisher.sent.map((job) => job.targetLanguages)).toEqual([['de']]);
  });

  it("charges each language to the reader who asked for it, and gives a claim back past that reader's budget", async () => {
    const { claims, publisher, requester } = setup({ greedy: 1 });
    requester.request(message, 'de', 'greedy');
    requester.request(message, 'it', 'greedy');
    requester.request(message, 'fr', 'modest');
    await requester.idle();
    expect(publisher.sent.map((job) => job.targetLanguages)).toEqual([['de', 'fr']]);
    expect(claims.released).toEqual([`${message.id}@2/it`]);
    // Once the budget allows again (or another reader asks), the variant is requested.
    requester.request(message, 'it', 'modest');
    await requester.idle();
    expect(publisher.sent.map((job) => job.targetLanguages)).toEqual([['de', 'fr'], ['it']]);
  });
});
