import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/** Caps aliases per document: aliases are how one request asks for the same costly field N times. */
export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let reported = false;
    return {
      Field(node) {
        if (!node.alias) return;
        aliases += 1;
        if (aliases > maxAliases && !reported) {
          reported = true;
          context.reportError(new GraphQLError(`Document has more than ${maxAliases} aliases`, { nodes: [node] }));
        }
      },
    };
  };
}
