import { buildOperationContext, executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type { Logger } from '@parley/common';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
  visit,
} from 'graphql';
import type { RouterContext } from '../context';
import { sharingEventFetches } from './event-fetches';
import { isViewerIndependent } from './viewer-dependence';

/** One validated subscription operation, planned once and executed per event (and per group). */
export interface PreparedSubscription {
  /** The root field (`messageAdded`, `typing`, ...). */
  fieldName: string;
  /** Whether everything selected reads the same for every member in the same language (see viewer-dependence.ts). */
  viewerIndependent: boolean;
  /** Executes the whole selection for one event. */
  eventPlan: PlannedOperation;
  /** Executes only the root field with `{ __typename }`: the owner's check that the caller may subscribe. */
  authorizePlan: PlannedOperation;
}

export interface PlannedOperation {
  plan: QueryPlan;
  operationContext: ReturnType<typeof buildOperationContext>;
}

/** Coerced variables and the root field's argument values, or the errors that make the request invalid. */
export type CoercedArguments =
  | { ok: true; variables: Record<string, unknown>; fieldArguments: Record<string, unknown> }
  | { ok: false; errors: readonly GraphQLError[] };

/**
 * The federated half of subscriptions. @apollo/gateway plans subscriptions (a primary fetch to the
 * subgraph that owns the root field, then the rest of the selection through `_entities`) but
 * refuses to execute them. Here the primary fetch is sent as an ordinary signed request for one
 * event at a time: the owner resolves its field from the event the router passes in the signed
 * extensions, and the rest runs through the same executor the gateway uses for queries, with the
 * subscriber's identity.
 */
export class FederatedSubscriptions {
  private readonly supergraph: Supergraph;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly serviceMap: Record<string, GraphQLDataSource>;

  constructor(
    supergraphSdl: string,
    readonly apiSchema: GraphQLSchema,
    serviceMap: Record<string, GraphQLDataSource>,
    private readonly logger: Logger,
  ) {
    this.serviceMap = sharingEventFetches(serviceMap);
    this.supergraph = Supergraph.build(supergraphSdl);
    this.supergraphSchema = this.supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(this.supergraph);
  }

  /** Plans a validated subscription document. */
  prepare(document: DocumentNode, operationName: string | undefined): PreparedSubscription {
    const operation = selectOperation(document, operationName);
    const rootField = singleRootField(document, operation);
    return {
      fieldName: rootField.name.value,
      viewerIndependent: isViewerIndependent(this.apiSchema, document, operation),
      eventPlan: this.plan(document, operationName),
      authorizePlan: this.plan(authorizeDocument(operation, rootField), 'ParleyAuthorizeSubscription'),
    };
  }

  coerce(
    document: DocumentNode,
    operationName: string | undefined,
    inputs: Record<string, unknown> | null | undefined,
  ): CoercedArguments {
    const operation = selectOperation(document, operationName);
    const coerced = getVariableValues(this.apiSchema, operation.variableDefinitions ?? [], inputs ?? {});
    if (coerced.errors) return { ok: false, errors: coerced.errors };
    const rootField = singleRootField(document, operation);
    const fieldDef = this.apiSchema.getSubscriptionType()?.getFields()[rootField.name.value];
    if (!fieldDef) throw new Error(`no subscription field ${rootField.name.value}`);
    return {
      ok: true,
      variables: coerced.coerced,
      fieldArguments: getArgumentValues(fieldDef, rootField, coerced.coerced),
    };
  }

  execute(
    planned: PlannedOperation,
    variables: Record<string, unknown>,
    context: RouterContext,
  ): Promise<ExecutionResult> {
    const requestContext = {
      request: { variables },
      context,
      logger: this.logger,
      metrics: {},
    };
    return executeQueryPlan(
      planned.plan,
      this.serviceMap,
      requestContext as never,
      planned.operationContext,
      this.supergraphSchema,
      this.supergraph.apiSchema(),
      undefined,
    ) as Promise<ExecutionResult>;
  }

  private plan(document: DocumentNode, operationName: string | undefined): PlannedOperation {
    const operation = operationFromDocument(this.supergraph.apiSchema(), document, { operationName });
    const subscriptionPlan = this.planner.buildQueryPlan(operation);
    const node = subscriptionPlan.node;
    if (node?.kind !== 'Subscription') throw new Error('expected a subscription plan');
    const sequence: PlanNode = node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary;
    return {
      plan: { kind: 'QueryPlan', node: sequence },
      operationContext: buildOperationContext({ schema: this.apiSchema, operationDocument: document, operationName }),
    };
  }
}

export function selectOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation || (!operationName && operations.length > 1)) throw new Error('operation not found');
  return operation;
}

/** The one root field of a validated subscription (validation guarantees exactly one). */
function singleRootField(document: DocumentNode, operation: OperationDefinitionNode): FieldNode {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const find = (selections: OperationDefinitionNode['selectionSet']['selections']): FieldNode | undefined => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD && selection.name.value !== '__typename') return selection;
      const nested =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet.selections
          : selection.kind === Kind.FRAGMENT_SPREAD
            ? fragments.get(selection.name.value)?.selectionSet.selections
            : undefined;
      const found = nested && find(nested);
      if (found) return found;
    }
    return undefined;
  };
  const field = find(operation.selectionSet.selections);
  if (!field) throw new Error('subscription without a root field');
  return field;
}

/** `subscription($used: T) { field(args) { __typename } }`: the root field alone, for the owner's access check. */
function authorizeDocument(operation: OperationDefinitionNode, rootField: FieldNode): DocumentNode {
  const used = new Set<string>();
  for (const argument of rootField.arguments ?? []) {
    visit(argument, {
      Variable(node) {
        used.add(node.name.value);
      },
    });
  }
  const variableDefinitions: VariableDefinitionNode[] = (operation.variableDefinitions ?? []).filter((definition) =>
    used.has(definition.variable.name.value),
  );
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: operation.operation,
        name: { kind: Kind.NAME, value: 'ParleyAuthorizeSubscription' },
        variableDefinitions,
        directives: [],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: rootField.name,
              arguments: rootField.arguments,
              directives: [],
              selectionSet: {
                kind: Kind.SELECTION_SET,
                selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }],
              },
            },
          ],
        },
      },
    ],
  };
}
