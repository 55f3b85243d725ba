/**
 * Two projects: `unit` (pure functions, no services) runs in parallel; `integration` talks to the
 * real PostgreSQL, Redis and RabbitMQ (subgraph integration tests and the e2e scenarios through the
 * router) and runs in band so services are started and stopped one suite at a time.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: false, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.tools/', '<rootDir>/dist/'],
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/src/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/src/**/*.int.test.ts', '<rootDir>/e2e/**/*.e2e.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      testTimeout: 60_000,
    },
  ],
};
