import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import prettier from 'eslint-config-prettier'

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'public/build/**',
      'app/generated/**',
      'node_modules/**',
      '.data/**',
      'test-results/**',
      'bench-results/**',
      '.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Secrets and clear-text passwords must never reach the logs: use the logger, which redacts.
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['scripts/**', 'test/**', 'workers/index.ts', 'app/server/index.ts'],
    rules: { 'no-console': 'off' },
  },
  // Formatting is Prettier's (`prettier --check` runs in `npm run lint` and `npm test`); ESLint checks the rest.
  prettier,
)
