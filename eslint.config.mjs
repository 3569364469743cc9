import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The pipeline and the pure core run in plain Node: they may import `vscode` for types only.
    // A transitive load (through config.ts, say) is dependency-cruiser's to catch (npm run lint).
    files: ['src/core/**/*.ts', 'src/gemini/**/*.ts', 'src/shared/**/*.ts', 'src/generation/**/*.ts', 'src/gallery/**/*.ts', 'src/references/**/*.ts', 'src/docs/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Keep vscode out of the pure core (type imports only).', allowTypeImports: true }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: 'Keep vscode out of the pure core: no require(\'vscode\').' },
        { selector: "ImportExpression[source.value='vscode']", message: 'Keep vscode out of the pure core: no import(\'vscode\').' },
      ],
    },
  },
);
