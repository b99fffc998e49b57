// ESLint (flat config) with typescript-eslint. The layer rules live in .dependency-cruiser.cjs (they need resolved
// paths); this file keeps what needs types: no promise in the engine or the hosts is left floating (an unhandled
// rejection there can end an operation without a status), and raw ipcRenderer stays out of the renderer.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const ELECTRON_IN_RENDERER = { name: 'electron', message: 'The renderer talks to the host through the preload bridge only.' };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.tools/**', 'coverage/**'] },
  {
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      'no-control-regex': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': ['error', { paths: [ELECTRON_IN_RENDERER] }],
    },
  },
  {
    // Views read the store through selectors and ask the host through the store's actions (useActions); only
    // renderer/src/store and the composition root (main.tsx, App.tsx) see the client module. Tests build fakes.
    files: ['renderer/src/features/**/*.{ts,tsx}', 'renderer/src/components/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ELECTRON_IN_RENDERER],
          patterns: [{ group: ['**/client', '**/client/*'], message: 'Views call store actions (useActions from store/), never the client module.' }],
        },
      ],
    },
  },
);
