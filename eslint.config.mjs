// Lint: typescript-eslint's recommended rules plus the boundaries of docs/architecture.md.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const infraPackages = ['@prisma/*', 'nats', '@grpc/*', 'express', 'pg', 'ioredis'];
// every folder under services/ is a service: a new one is covered without a change here
const services = readdirSync(path.join(import.meta.dirname, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'libs/contracts/src/gen/**',
      'services/*/src/infra/prisma/generated/**',
      'services/web/src/api/gen/**',
      '.local/**',
      '.nx/**',
      '**/dist/**',
      'jest.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    // Typed linting over the nearest tsconfig.json (the root one; services/web has its own for the browser).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  // A service never imports another service; its domain and use cases stay free of infrastructure.
  ...services.flatMap((svc) => {
    const otherServices = services
      .filter((other) => other !== svc)
      .map((other) => ({
        group: [
          `**/services/${other}/**`,
          // a relative path from services/<svc>/… up into services/<other>/…
          ...['..', '../..', '../../..', '../../../..', '../../../../..'].map((up) => `${up}/${other}/**`),
          `@helpdesk/${other}`,
          `@helpdesk/${other}/**`,
        ],
        message: 'Services talk over gRPC and NATS, never by import.',
      }));
    const infra = [
      {
        group: infraPackages,
        message: 'domain/ and app/ must not import infrastructure; use a port in app/ports.ts.',
      },
      {
        group: ['**/infra/**', '**/transport/**'],
        message: 'domain/ and app/ must not reach into infra/ or transport/.',
      },
    ];
    return [
      {
        files: [`services/${svc}/**/*.ts`, `services/${svc}/**/*.tsx`],
        rules: { 'no-restricted-imports': ['error', { patterns: otherServices }] },
      },
      // the manifest (services/<svc>/service.ts) is read by the launchers: it brings its config schema, nothing else
      {
        files: [`services/${svc}/service.ts`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                ...otherServices,
                {
                  group: ['./src/**', '!./src/config'],
                  message: 'A manifest imports only its own src/config.ts (the launchers load it).',
                },
              ],
            },
          ],
        },
      },
      {
        files: [`services/${svc}/src/domain/**/*.ts`, `services/${svc}/src/app/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns: [...otherServices, ...infra] }] },
      },
    ];
  }),
  // The web app (React): the rules of hooks, and effects that name what they depend on.
  { ...reactHooks.configs.flat.recommended, files: ['services/web/**/*.tsx', 'services/web/**/*.ts'] },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.sys-spec.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'deploy/local/**/*.ts',
    ],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
