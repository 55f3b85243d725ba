import { writeFileSync } from 'node:fs';
import { composeSupergraph, CompositionFailedError, generatedFiles, loadSubgraphSdls } from './compose';
import { say } from './output';
import { fromRoot } from './paths';
import { subgraphDefinitions } from './subgraphs';

/** `pnpm schema:compose`: composes the subgraphs and writes the supergraph and API schema files. */
async function main(): Promise<number> {
  const definitions = subgraphDefinitions();
  say.step(`composing ${definitions.length} subgraphs (${definitions.map((d) => d.name).join(', ')})`);
  try {
    const composition = composeSupergraph(await loadSubgraphSdls(definitions));
    for (const hint of composition.hints) say.note(`hint: ${hint}`);
    for (const file of generatedFiles(composition)) {
      writeFileSync(fromRoot(file.path), file.content);
      say.ok(`wrote ${file.path}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof CompositionFailedError)) throw error;
    say.fail('composition failed; nothing written:');
    for (const problem of error.problems) say.note(`- ${problem}`);
    return 1;
  }
}

process.exitCode = await main();
