import { buildSchema, type GraphQLSchema } from 'graphql';
import { checkContainment } from './containment';
import { contractOwnership, contractScope, type ContractOwnership, type ContractScope } from './ownership';

export interface ContractReport extends ContractScope {
  problems: string[];
}

/**
 * Check (d): the API schema contains every part of the contract that the composed subgraphs own.
 * Parts of subgraphs not composed yet are reported as deferred, not as failures.
 */
export function checkContract(
  contractSdl: string,
  api: GraphQLSchema,
  composedSubgraphs: readonly string[],
  ownership: ContractOwnership = contractOwnership,
): ContractReport {
  const contract = buildSchema(contractSdl);
  const scope = contractScope(composedSubgraphs, ownership);
  const problems = [...scope.checked.values()].flatMap((parts) => checkContainment(contract, api, parts));
  return { ...scope, problems };
}
