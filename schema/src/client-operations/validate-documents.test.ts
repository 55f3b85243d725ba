import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { fromRoot, schemaFiles } from '../paths';
import { extractEmbedded, findClientDocuments } from './find-documents';
import { validateClientDocuments } from './validate-documents';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const schema = buildSchema(readFileSync(fromRoot(schemaFiles.contract), 'utf8'));
const validate = (fixture: string) => {
  const root = join(fixtures, fixture);
  return validateClientDocuments(schema, findClientDocuments(join(root, 'web/src'), root));
};

describe('client operation validation', () => {
  it('finds nothing when the web client has no sources', () => {
    expect(validate('absent')).toEqual({ operations: 0, problems: [] });
  });

  it('validates .graphql files and embedded documents, sharing fragments across files', () => {
    expect(validate('valid')).toEqual({ operations: 3, problems: [] });
  });

  it('reports every invalid document at its line in its file, skipping node_modules and generated code', () => {
    expect(validate('invalid')).toEqual({
      operations: 2,
      problems: [
        'web/src/syntax.graphql:3:1: Syntax Error: Expected Name, found <EOF>.',
        'web/src/broken.graphql:4:5: Cannot query field "nickname" on type "User".',
        'web/src/calls.ts:7:10: Unknown fragment "Missing".',
        'web/src/calls.ts:5:14: Variable "$id" of type "String!" used in position expecting type "ID!".',
      ],
    });
  });
});

describe('extractEmbedded', () => {
  it('finds tagged templates and blanks interpolations in place', () => {
    const text =
      'const a = gql`query A { me { id } }`;\nconst b = graphql(`\n  ${x}\n  query B { me { id } }`);\nconst c = `query C`;';
    expect(extractEmbedded('f.ts', text)).toEqual([
      { file: 'f.ts', line: 1, body: 'query A { me { id } }' },
      { file: 'f.ts', line: 2, body: '\n      \n  query B { me { id } }' },
    ]);
  });
});
