// A small rule set that catches real bugs, not style: promises nobody awaits or handles,
// dead variables, and type-only imports that would otherwise be kept at runtime.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'storybook-static/**', 'node_modules/**', 'bench/results/**', 'data/**'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['.storybook/*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // TypeScript checks these better than the JS rules do.
      'no-undef': 'off',
      'no-unused-vars': 'off',
      'no-redeclare': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/await-thenable': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);
