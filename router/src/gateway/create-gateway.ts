import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import type { Logger } from '@parley/common';
import { SignedDataSource } from './signed-data-source';

export interface GatewayOptions {
  supergraphPath: string;
  signingSecret: string;
  urlOverrides: Record<string, string | undefined>;
  logger: Logger;
}

/** The gateway serves the committed supergraph; it never introspects subgraphs. */
export function createGateway(options: GatewayOptions): { gateway: ApolloGateway; subgraphUrls: Map<string, string> } {
  const supergraphSdl = readFileSync(options.supergraphPath, 'utf8');
  const subgraphUrls = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: options.logger,
    buildService: ({ name, url }) => {
      const target = options.urlOverrides[name.toLowerCase()] ?? url;
      if (!target) throw new Error(`no URL for subgraph ${name}`);
      subgraphUrls.set(name, target);
      return new SignedDataSource(target, options.signingSecret);
    },
  });
  return { gateway, subgraphUrls };
}
