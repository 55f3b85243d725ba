import { readFileSync } from 'node:fs';
import { generateClientTypes } from '../../codegen';
import { fromRoot } from './paths';

it('keeps the committed client types in step with the API schema (run `pnpm codegen`)', async () => {
  const committed = readFileSync(fromRoot('web/src/gql/graphql.ts'), 'utf8');
  const fresh = await generateClientTypes();
  expect(fresh).toContain('export type Conversation = {');
  expect(committed).toBe(fresh);
});
