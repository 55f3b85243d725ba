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
  // A global option (projects ignore it): unit tests finish in milliseconds anyway, and the e2e
  // scenarios wait for real translations, broker restarts and process kills.
  testTimeout: 60_000,
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
      // Every e2e stack runs the translator in process: ONNX tensors need the host's typed arrays.
      testEnvironment: '<rootDir>/translator/src/models/onnx-test-environment.js',
      testMatch: ['<rootDir>/**/src/**/*.int.test.ts', '<rootDir>/e2e/**/*.e2e.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
};
