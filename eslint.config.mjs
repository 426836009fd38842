// ESLint flat config, as actions/typescript-action sets it up: typescript-eslint's type-checked
// recommended rules over the sources, tests and benchmarks; Prettier owns formatting.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'lib/', 'node_modules/', '.demo/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname }
    }
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read back JSON the action wrote (outputs, request bodies) and assert on its shape.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // node:test's describe() and it() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'before', 'after'] }] }
      ]
    }
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked
  },
  prettier
)
