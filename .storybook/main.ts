import type { StorybookConfig } from '@storybook/web-components-vite';

// Stories run on an in-memory client (stories/fake-chat-client.ts): no server, no network.
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};

export default config;
