import type { StorybookConfig } from '@storybook/web-components-vite';
import type { Plugin } from 'vite';

// Lit's packages, which must resolve to one copy, and to its production build.
const LIT = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element'];
const LIT_DEV_FILE = /([\\/]node_modules[\\/](?:lit|lit-html|lit-element|@lit[\\/]reactive-element)[\\/])development[\\/]/;

/**
 * Resolves Lit's `development` files to their production twins (same paths without
 * `development/`). Export conditions alone do not do it: Vite 8 derives them from NODE_ENV,
 * which is `test` under vitest and unset under `storybook dev`. Used by Vite's build and by its
 * dependency pre-bundling (`storybook dev`), which resolves with plugins of its own.
 */
function litProduction(): Plugin {
  return {
    name: 'parley:lit-production',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !LIT_DEV_FILE.test(resolved.id)) return resolved;
      return { ...resolved, id: resolved.id.replace(LIT_DEV_FILE, '$1') };
    },
  };
}

// Stories run on an in-memory client (stories/fake-chat-client.ts): no server, no network.
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Issue 13: Storybook warned "Lit is in dev mode" and, under `storybook dev`, "Multiple
  // versions of Lit loaded" (the stories' Lit and the renderer's, pre-bundled apart). The stories
  // show what pages get: Lit's production build, one copy, in dev and build alike.
  viteFinal(vite) {
    return {
      ...vite,
      plugins: [litProduction(), ...(vite.plugins ?? [])],
      resolve: { ...vite.resolve, dedupe: [...new Set([...(vite.resolve?.dedupe ?? []), ...LIT])] },
      // `storybook dev` pre-bundles dependencies with its own resolver: the same rewrite there.
      optimizeDeps: {
        ...vite.optimizeDeps,
        include: [...new Set([...(vite.optimizeDeps?.include ?? []), ...LIT])],
        rolldownOptions: { ...vite.optimizeDeps?.rolldownOptions, plugins: [litProduction(), ...[vite.optimizeDeps?.rolldownOptions?.plugins ?? []].flat()] },
      },
    };
  },
};

export default config;
