// ESLint flat config: recommended JS + typescript-eslint rules, formatting left to Prettier.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * The dependency rule of DESIGN.md, enforced: api, notebooks -> app -> simulation, tickets -> models
 * -> ingest -> core, and simulation imports only core (predicted tickets reach it as a ticket log).
 * Each folder lists the stages it must not import; the message names the rule.
 */
const STAGES = ['core', 'ingest', 'models', 'tickets', 'simulation', 'app', 'api', 'notebooks'];
const MAY_IMPORT = {
  core: [],
  ingest: ['core'],
  models: ['ingest', 'core'],
  tickets: ['models', 'ingest', 'core'],
  simulation: ['core'],
  app: ['simulation', 'tickets', 'models', 'ingest', 'core'],
  api: ['app', 'simulation', 'tickets', 'models', 'ingest', 'core'],
};
const boundaries = Object.entries(MAY_IMPORT).map(([stage, allowed]) => ({
  files: [`${stage}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: STAGES.filter((s) => s !== stage && !allowed.includes(s)).map((s) => ({
          group: [`**/${s}/**`, `**/${s}`],
          message: `boundary rule "${stage} may import only ${allowed.length ? allowed.join(', ') : 'nothing of ours'}" (DESIGN.md layout): ${stage}/ must not import ${s}/.`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', '.leadtime/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...boundaries,
);
