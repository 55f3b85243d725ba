import {
  GraphQLError,
  Kind,
  NoUnusedFragmentsRule,
  parse,
  Source,
  specifiedRules,
  validate,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import type { ClientDocument } from './find-documents';

export interface ClientValidation {
  operations: number;
  problems: string[];
}

// Fragments are shared across files, so a fragment used by no operation in its own file is normal.
const RULES = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);

/**
 * Check (e): every client document is valid against the API schema. A document is validated
 * together with the fragments it uses from other documents, as a client bundles them.
 */
export function validateClientDocuments(schema: GraphQLSchema, documents: ClientDocument[]): ClientValidation {
  const problems = new Set<string>();
  const lineOffsets = new Map<Source, number>();
  const parsed: DocumentNode[] = [];
  for (const document of documents) {
    const source = new Source(document.body, document.file);
    lineOffsets.set(source, document.line - 1);
    try {
      parsed.push(parse(source));
    } catch (error) {
      problems.add(describe(error as GraphQLError, lineOffsets));
    }
  }

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const fragment of parsed.flatMap((document) => document.definitions).filter(isFragment)) {
    const previous = fragments.get(fragment.name.value);
    if (previous)
      problems.add(
        `${at(fragment, lineOffsets)}: fragment ${fragment.name.value} is also defined at ${at(previous, lineOffsets)}`,
      );
    else fragments.set(fragment.name.value, fragment);
  }

  let operations = 0;
  for (const document of parsed) {
    operations += document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
    const withFragments: DocumentNode = {
      ...document,
      definitions: [...document.definitions, ...borrowedFragments(document, fragments)],
    };
    for (const error of validate(schema, withFragments, RULES)) problems.add(describe(error, lineOffsets));
  }
  return { operations, problems: [...problems] };
}

/** Fragments used by `document`, directly or through other fragments, that it does not define. */
function borrowedFragments(
  document: DocumentNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const defined = new Set(document.definitions.filter(isFragment).map((fragment) => fragment.name.value));
  const borrowed: FragmentDefinitionNode[] = [];
  const pending: DefinitionNode[] = [...document.definitions];
  for (let node = pending.pop(); node; node = pending.pop()) {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (defined.has(name) || !fragment) return;
        defined.add(name);
        borrowed.push(fragment);
        pending.push(fragment);
      },
    });
  }
  return borrowed;
}

const isFragment = (definition: DefinitionNode): definition is FragmentDefinitionNode =>
  definition.kind === Kind.FRAGMENT_DEFINITION;

function at(node: { loc?: { source: Source; start: number } }, lineOffsets: Map<Source, number>): string {
  if (!node.loc) return '(unknown location)';
  const { source, start } = node.loc;
  const before = source.body.slice(0, start).split('\n');
  const line = before.length + (lineOffsets.get(source) ?? 0);
  return `${source.name}:${line}:${(before.at(-1)?.length ?? 0) + 1}`;
}

function describe(error: GraphQLError, lineOffsets: Map<Source, number>): string {
  const node = error.nodes?.[0];
  if (node) return `${at(node, lineOffsets)}: ${error.message}`;
  // Syntax errors carry a source and a position instead of nodes.
  if (error.source && error.positions?.[0] !== undefined) {
    return `${at({ loc: { source: error.source, start: error.positions[0] } }, lineOffsets)}: ${error.message}`;
  }
  return error.message;
}
