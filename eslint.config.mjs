// ESLint flat config. Two rules carry the architecture: src/core must never import `vscode`
// (it runs in plain Node for the CLI and the unit tests), and floating promises are errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.vscode-test/**',
      '.trace-replay/**',
      'test/apps/**',
      'test/e2e/**/*.mjs',
      'test/e2e/**/*.cjs',
      'esbuild.mjs',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // The one helper for messages (src/core/util/error-message.ts) is used instead of writing it
    // again. (The sample apps under examples/ stand alone and do not import it.)
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        {
          // `err instanceof Error ? err.message : String(err)`
          selector:
            "ConditionalExpression[test.operator='instanceof'][test.right.name='Error'][consequent.property.name='message']",
          message: 'Use errorMessage(err) (src/core/util/error-message.ts), or redactedMessage(err) where it is shown.',
        },
        {
          // `(err as Error).message`: a thrown value need not be an Error.
          selector:
            "MemberExpression[property.name='message'][object.type='TSAsExpression'][object.typeAnnotation.typeName.name='Error']",
          message: 'Use errorMessage(err) (src/core/util/error-message.ts): a thrown value need not be an Error.',
        },
      ],
    },
  },
  {
    // Every toast of the extension goes through the one notifications reporter (one label per fix,
    // errors logged, "Open Output" last): nothing else shows a message directly.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/common/notifications.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['showErrorMessage', 'showWarningMessage', 'showInformationMessage'].map((property) => ({
          property,
          message: 'Show notifications through Notifications (src/extension/common/notifications.ts).',
        })),
      ],
    },
  },
  {
    // Plain Node scripts (CommonJS) run without a build step.
    files: ['scripts/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/protocol.ts', 'webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message:
                'src/core, src/cli, the protocol and the webview must not depend on the VS Code API; put VS Code glue in src/extension.',
            },
          ],
        },
      ],
    },
  },
);
