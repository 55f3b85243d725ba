import { randomUUID } from 'node:crypto';
import { Client } from './client';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  client: Client;
}

export const SIGN_UP = `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { token user { id displayName systemLanguage regionalLanguage preferredLanguage } }
  }
`;

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID()}@example.test`;

/** Signs a new user up through the router and returns a client that carries its token. */
export async function signUpUser(routerUrl: string, systemLanguage = 'en', label = 'user'): Promise<TestUser> {
  const email = uniqueEmail(label);
  const password = 'correct horse battery';
  const client = new Client(routerUrl);
  const data = await client.data<{ signUp: { token: string; user: { id: string } } }>(SIGN_UP, {
    input: { email, password, displayName: label, systemLanguage },
  });
  client.token = data.signUp.token;
  return { id: data.signUp.user.id, email, password, token: data.signUp.token, client };
}
