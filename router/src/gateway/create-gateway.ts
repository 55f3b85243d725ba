import { readFileSync } from 'node:fs';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@parley/common';
import { SignedDataSource } from './signed-data-source';

export interface GatewayOptions {
  supergraphPath: string;
  signingSecret: string;
  urlOverrides: Record<string, string | undefined>;
  logger: Logger;
}

/** The gateway serves the committed supergraph; it never introspects subgraphs. */
export function createGateway(options: GatewayOptions): {
  gateway: ApolloGateway;
  supergraphSdl: string;
  subgraphUrls: Map<string, string>;
  /** The signed data source per subgraph name, filled when the gateway loads; subscriptions use them too. */
  dataSources: Record<string, GraphQLDataSource>;
} {
  const supergraphSdl = readFileSync(options.supergraphPath, 'utf8');
  const subgraphUrls = new Map<string, string>();
  const dataSources: Record<string, GraphQLDataSource> = Object.create(null);
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: options.logger,
    buildService: ({ name, url }) => {
      const target = options.urlOverrides[name.toLowerCase()] ?? url;
      if (!target) throw new Error(`no URL for subgraph ${name}`);
      subgraphUrls.set(name, target);
      const dataSource = new SignedDataSource(target, options.signingSecret);
      dataSources[name] = dataSource;
      return dataSource;
    },
  });
  return { gateway, supergraphSdl, subgraphUrls, dataSources };
}
