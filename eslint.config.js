import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// One zod, imported one way (shared/zod.ts says why): zod/mini, with its English messages, as
// `import * as z from '…/shared/zod.js'`. Classic zod puts ~100 KB into every Lambda bundle, and
// `import { z }` (of zod or of shared/zod.ts) makes esbuild keep all of zod and every locale.
const zodImports = [
  {
    selector: "ImportDeclaration[source.value=/^zod(\\x2F|$)/]",
    message: "import zod as `import * as z from '…/shared/zod.js'` (zod/mini with its English messages), not from 'zod' itself",
  },
  {
    selector: "ImportDeclaration[source.value=/(^|\\x2F)zod\\.js$/] > ImportSpecifier[imported.name='z']",
    message: "use `import * as z from '…/shared/zod.js'`: the named import `z` bundles all of zod and its locales",
  },
];

// Import boundaries (README "Dependencies and import boundaries"): imports point inward, runtime
// code never reaches the local stack, and what ships never pulls in a build, test or lab tool
// (those are devDependencies). One npm package with lint-enforced boundaries rather than
// workspaces: the folders share one version, one lockfile and one test run, and what each
// deployable is made of is decided by esbuild from these imports.
const toolchain = ['esbuild', 'tsx', 'tsx/*', 'typescript', 'vitest', 'vitest/*', 'eslint', 'dynalite', 'aws-local-stepfunctions', 'asl-validator', 'cdk-nag', 'ajv', 'ajv-formats', 'semver', 'ipaddr.js'];
const infrastructure = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'];

/** `name` → exactly that package; `name/*` → it and its subpaths; slashes as \x2F for esquery. */
const packagePattern = (p) => {
  const name = p.replace(/\/\*$/, '').replaceAll('.', '\\.').replaceAll('/', '\\x2F');
  return p.endsWith('/*') ? `^${name}(\\x2F|$)` : `^${name}$`;
};

/**
 * One boundary: relative imports of `folders` are forbidden; `packages` are forbidden package names.
 * Relative imports are matched as written: `(../)+folder/` names a top folder because no folder
 * below the top repeats a top folder's name.
 */
function boundary(files, { folders, packages = [], why }) {
  const folderMessage = `${why}: ${files.join(', ')} may not import ${folders.map((f) => `${f}/`).join(', ')}`;
  const packageMessage = `${why}: ${files.join(', ')} ships without this package (a devDependency or infrastructure only)`;
  const folderRegex = `^(\\.\\./)+(${folders.join('|')})(/|$)`;
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: folderRegex, message: folderMessage },
            ...(packages.length > 0 ? [{ group: packages, message: packageMessage }] : []),
          ],
        },
      ],
      // no-restricted-imports sees static imports only; `await import('…')` is checked here.
      'no-restricted-syntax': [
        'error',
        ...zodImports,
        { selector: `ImportExpression[source.value=/${folderRegex.replaceAll('/', '\\x2F')}/]`, message: folderMessage },
        ...packages.map((p) => ({ selector: `ImportExpression[source.value=/${packagePattern(p)}/]`, message: packageMessage })),
      ],
    },
  };
}

const outward = ['functions', 'workflows', 'cdk', 'agent', 'local', 'cli', 'build', 'bench', 'test', 'bin'];

export const importBoundaries = [
  boundary(['shared/**'], { folders: outward, packages: [...toolchain, ...infrastructure], why: 'shared/ is the model and imports nothing outward' }),
  boundary(['functions/**'], { folders: ['cdk', 'agent', 'local', 'cli', 'build', 'bench', 'test', 'bin'], packages: [...toolchain, ...infrastructure], why: 'a Lambda handler ships alone' }),
  boundary(['agent/**'], { folders: ['functions', 'workflows', 'cdk', 'local', 'cli', 'build', 'bench', 'test', 'bin'], packages: [...toolchain, ...infrastructure], why: 'the bastion agent ships as one file of shared/ and agent/' }),
  boundary(['cdk/**', 'workflows/**'], { folders: ['agent', 'local', 'cli', 'build', 'bench', 'test', 'bin'], packages: toolchain, why: 'the CDK app describes AWS; the local stack builds on it, never the other way' }),
  boundary(['cli/**'], { folders: ['local', 'build', 'bench', 'test', 'bin'], packages: toolchain, why: 'the CLI reaches the local stack only through `dev` and `lab`' }),
  boundary(['cli/commands/dev.ts', 'cli/commands/lab.ts'], { folders: ['build', 'bench', 'test', 'bin'], why: '`dev` and `lab` start the local stack; nothing else of the CLI does' }),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.changeflow/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // An empty catch is a silent catch: the house rule says every error is handled or rethrown.
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ...zodImports],
    },
  },
  ...importBoundaries,
  // The one module that imports zod itself.
  { files: ['shared/zod.ts'], rules: { 'no-restricted-syntax': ['error', zodImports[1]] } },
);
