import {
  GraphQLError,
  Kind,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

const CONDITIONAL = new Set(['skip', 'include']);

/**
 * The GraphQL spec (Single Root Field) forbids @skip and @include on a subscription's root field:
 * a subscription must have exactly one root field whatever the variables are. graphql-js 16 does
 * not check it yet; without this rule such a document passed validation and then failed the plan.
 */
export function rootFieldDirectivesRule(context: ValidationContext): ASTVisitor {
  const report = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.some((directive) => CONDITIONAL.has(directive.name.value))) {
        context.reportError(
          new GraphQLError('A subscription’s root field cannot have @skip or @include', { nodes: [selection] }),
        );
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) report(selection.selectionSet, seen);
      if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = context.getFragment(selection.name.value);
        if (fragment) report(fragment.selectionSet, seen);
      }
    }
  };
  return {
    OperationDefinition(node) {
      if (node.operation === 'subscription') report(node.selectionSet, new Set());
      return false;
    },
  };
}

/**
 * validate() with this rule checked first, on its own: graphql-js 16's SingleFieldSubscriptionsRule
 * evaluates the root field's @skip/@include without variables and throws (instead of reporting)
 * when one takes a non-null variable, which would close a WebSocket with 4500.
 */
export function validateWithRootFieldDirectives(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
): readonly GraphQLError[] {
  const refused = validate(schema, document, [rootFieldDirectivesRule]);
  return refused.length > 0 ? refused : validate(schema, document, rules);
}
