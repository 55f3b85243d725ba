import { randomUUID } from 'node:crypto';
import { DEV_JWT_SECRET, issueAccessToken } from '@parley/common';
import pg from 'pg';
import { CREATE_CONVERSATION } from '../../e2e/support/messaging';
import { signUpUser, type TestUser } from '../../e2e/support/users';

export interface Member {
  id: string;
  language: string;
  token: string;
}

export interface Population {
  sender: TestUser;
  members: Member[];
  conversationId: string;
}

/**
 * The sender signs up through the router like anyone (argon2id, token from the users subgraph).
 * The `count` readers are written straight into the users subgraph's table, one multi-row INSERT
 * per thousand, with the columns and defaults signUp writes and a placeholder password hash (they
 * never sign in), and get tokens from the same `issueAccessToken` and secret signUp uses: 2,000
 * argon2id hashes (19 MiB, 2 passes each) would take longer on two cores than the whole benchmark
 * should. They are real users to every service (`me`, the `_entities` lookups, membership checks).
 * The conversation is created by the sender through the router, with every reader in one
 * createConversation (the conversations subgraph's MAX_INITIAL_MEMBERS is raised for the bench).
 */
export async function populate(options: {
  routerUrl: string;
  databaseUrl: string;
  env: Record<string, string>;
  count: number;
  languages: readonly string[];
  originalLanguage: string;
  progress: (message: string) => void;
}): Promise<Population> {
  const sender = await signUpUser(options.routerUrl, options.originalLanguage, 'bench-sender');
  const secret = options.env.JWT_SECRET ?? DEV_JWT_SECRET;
  const ttlSeconds = 6 * 3600;
  const members: Member[] = [];
  for (let i = 0; i < options.count; i++) {
    members.push({ id: randomUUID(), language: options.languages[i % options.languages.length]!, token: '' });
  }
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    for (let start = 0; start < members.length; start += 1000) {
      const chunk = members.slice(start, start + 1000);
      const values: unknown[] = [];
      const rows = chunk.map((member, i) => {
        values.push(member.id, `bench-${member.id}@example.test`, `reader ${start + i}`, member.language);
        const p = i * 4;
        return `($${p + 1}, $${p + 2}, 'bench: never signs in', $${p + 3}, $${p + 4}, $${p + 4}, null, true, true, false, false, now(), now())`;
      });
      await pool.query(
        `insert into users.user_account (id, email, password_hash, display_name, system_language, regional_language,
           custom_destination_language, auto_translate_enabled, translate_to_system_language,
           translate_to_regional_language, use_custom_destination, created_at, updated_at)
         values ${rows.join(', ')}`,
        values,
      );
    }
  } finally {
    await pool.end();
  }
  for (const member of members) member.token = await issueAccessToken(secret, member.id, ttlSeconds);
  options.progress(`${members.length} readers created, tokens issued`);

  const created = await sender.client.data<{ createConversation: { id: string } }>(CREATE_CONVERSATION, {
    input: { kind: 'GROUP', title: 'bench fan-out', memberIds: members.map((member) => member.id) },
  });
  return { sender, members, conversationId: created.createConversation.id };
}
