import { defineConfig } from 'vitest/config';

// One config for the test runner; the library builds live in scripts/build.mjs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // WebRTC tests run only inside a network namespace of their own (`npm run test:webrtc`,
    // scripts/in-netns.sh sets PARLEY_NETNS), never on the host's network.
    exclude: process.env['PARLEY_NETNS'] === '1' ? [] : ['test/e2e/video/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers and databases; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    allowOnly: false,
    passWithNoTests: false,
  },
});
