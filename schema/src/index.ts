export { subgraphDefinitions, type SubgraphDefinition } from './subgraphs';
export {
  composeSupergraph,
  loadSubgraphSdls,
  generatedFiles,
  CompositionFailedError,
  type Composition,
  type SubgraphSdl,
} from './compose';
export { schemaFiles, repoRoot } from './paths';
