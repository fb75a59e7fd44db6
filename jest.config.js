// One Jest run for the whole repository: unit specs, integration specs per service, system tests.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', decorators: false }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@helpdesk/contracts/(.*)$': '<rootDir>/libs/contracts/src/gen/helpdesk/$1',
  '^@helpdesk/(platform|telemetry|bus|grpc|db|contracts|testing|security|mail|runtime)$':
    '<rootDir>/libs/$1/src/index.ts',
};
const base = {
  rootDir: __dirname,
  // Prisma's WebAssembly schema engine, jose, oauth4webapi, client-node's models and temporal-polyfill (with temporal-utils) ship ES modules
  // only; Jest loads them transpiled.
  transform: {
    '^.+\\.ts$': swc,
    '/node_modules/(@prisma/schema-engine-wasm|jose|oauth4webapi|@kubernetes/client-node/dist/gen/models|temporal-polyfill|temporal-utils)/.+\\.js$':
      swc,
  },
  transformIgnorePatterns: [
    '/node_modules/(?!@prisma/schema-engine-wasm/|jose/|oauth4webapi/|@kubernetes/client-node/dist/gen/models/|temporal-polyfill/|temporal-utils/)',
  ],
  moduleNameMapper,
  testEnvironment: 'node',
};
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,deploy}/**/src/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{libs,services}/*/test/**/*.int-spec.ts'] },
    {
      ...base,
      displayName: 'system',
      testMatch: ['<rootDir>/test/**/*.sys-spec.ts', '<rootDir>/charts/**/*.spec.ts'],
    },
  ],
};
