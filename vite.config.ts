import { defineConfig } from 'vitest/config';

// One config for the test runner; the library builds live in scripts/build.mjs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two suites run on their own after the main run (see package.json):
    // - WebRTC tests only inside a network namespace of their own (`npm run test:webrtc`;
    //   scripts/in-netns.sh sets PARLEY_NETNS), never on the host's network;
    // - the attack tests (`npm run test:attacks`, PARLEY_SUITE=attacks) one file at a time, so their
    //   "/healthz answers within 200 ms during the attack" measures the server under attack, not
    //   Chromium in the neighbouring worker.
    exclude: [
      '**/node_modules/**',
      ...(process.env['PARLEY_NETNS'] === '1' ? [] : ['test/e2e/video/**']),
      ...(process.env['PARLEY_SUITE'] === 'attacks' ? [] : ['test/integration/hardening/**']),
    ],
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
