import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * The lint guards the architecture (see the README's code section):
 *   bot → domain ← storage; effects (sending, scheduling) are interfaces the
 *   domain declares and outer folders implement; time sits below everything.
 * Folder rules are written as globs and import patterns, so a file added to a
 * folder later is held to the same rules.
 */

/** botbuilder and teams-ai stay in src/bot/: a move to the newer Teams SDK is then a change to one folder. */
const botFramework = {
  group: ['botbuilder', 'botbuilder-*', 'botbuilder/*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'],
  message: 'Only src/bot/ imports botbuilder or teams-ai.',
};

/**
 * A relative import that climbs out of the importing folder into one of the
 * named sibling folders of src/ (or their index), e.g. '../storage',
 * '../../scheduler/time'. A file in a subfolder importing '../storage' is
 * caught too; folders inside domain/ and cards/ do not reuse these names.
 */
function outOf(folders, message) {
  return { regex: `^(\\.\\./)+(${folders.join('|')})(/.*)?$`, message };
}

/** '..', '../..', '../index', '../server': the wiring, which imports everything. */
const wiring = {
  regex: '^\\.\\.(/\\.\\.)*(/(index|server))?/?$',
  message: 'The wiring (src/index.ts, src/server.ts) imports the layers, not the other way round.',
};

/** The domain is plain TypeScript: use cases, rules, zod schemas and the interfaces outer folders implement. */
const domainImports = [
  botFramework,
  wiring,
  outOf(
    ['storage', 'proactive', 'scheduler', 'cards', 'bot', 'i18n', 'delivery', 'effects', 'organisation'],
    'src/domain/ is pure: it declares interfaces (repositories, effects) that outer folders implement, and imports none of them.',
  ),
  { group: ['@azure/*', 'restify', 'restify-*', 'adaptivecards-templating'], message: 'src/domain/ is pure: no Azure, HTTP or card-template libraries.' },
];

/** Cards render templates from domain values and strings; they do not schedule, store or send. */
const cardImports = [
  botFramework,
  wiring,
  outOf(
    ['scheduler', 'bot', 'storage', 'proactive', 'delivery', 'effects'],
    'src/cards/ renders domain values; it imports neither the scheduler, the bot, storage nor sending.',
  ),
  { group: ['@azure/*', 'restify', 'restify-*'], message: 'src/cards/ renders templates; no Azure or HTTP libraries.' },
];

/** src/time.ts (or a src/time/ folder) is below everything: local dates, school days, holidays, zones. */
const belowEverything = 'Time sits below every folder of src/ and imports none of them.';
const timeFileImports = [botFramework, { regex: '^\\.', message: belowEverything }];
const timeFolderImports = [botFramework, { regex: '^\\.\\./', message: belowEverything }];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', 'appPackage/build/', 'devTools/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Every .ts file is in tsconfig.json (src, test, appPackage).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      // A bot full of background work (sender loop, scheduler, fan-out): every
      // promise is awaited, returned, caught, or explicitly `void`ed.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true, ignoreIIFE: false }],
      '@typescript-eslint/no-misused-promises': [
        'error',
        {
          checksConditionals: true,
          checksSpreads: true,
          checksVoidReturn: {
            // Handlers that return a promise where void is expected: the caller
            // never sees the rejection (process.on, setTimeout, server.on('close'),
            // EventEmitter listeners, Array#forEach). teams-ai and restify declare
            // their handlers as returning Promise/any, so async routes pass.
            arguments: true,
            variables: true,
            returns: true,
            properties: true,
            // An async method overriding or implementing a void one (e.g. a
            // botbuilder Storage or a test double) is checked as well.
            inheritedMethods: true,
            attributes: false,
          },
        },
      ],
      // `async` without `await` is how this code implements a Promise-returning
      // contract (teams-ai route selectors, repository and effects doubles): it
      // also turns a synchronous throw into a rejection, which callers expect.
      '@typescript-eslint/require-await': 'off',
      // Adding a member to a union (a reply kind, a job type, a conversation
      // kind) must fail the lint wherever a switch forgot it; a `default:`
      // does not count as handling the new member.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, allowDefaultCaseForExhaustiveSwitch: true, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/bot/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [botFramework] }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' }],
    },
  },
  {
    files: ['src/bot/**/*.ts'],
    rules: {
      // botbuilder types Activity.type as string and ActivityTypes as a string
      // enum; `activity.type === ActivityTypes.Message` is its own idiom.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: domainImports }] },
  },
  {
    files: ['src/cards/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: cardImports }] },
  },
  {
    files: ['src/time.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: timeFileImports }] },
  },
  {
    files: ['src/time/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: timeFolderImports }] },
  },
  {
    files: ['src/config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // jest's asymmetric matchers (expect.any, expect.objectContaining) are
      // typed `any`, and botbuilder's Storage contract reads and writes
      // StoreItems (`Record<string, any>`): tests pass these values through
      // on purpose. Calling an `any` stays an error.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
