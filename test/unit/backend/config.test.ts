import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SPEC, ConfigError, loadConfig } from '../../../backend/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBe('sqlite:./data/parley.sqlite');
    expect(c.brokerOpenDestinations).toBe(true);
    expect(c.resumeMaxMessages).toBe(500);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://x'],
    ['DATABASE_URL', 'mysql://'],
    ['BROKER_OPEN_DESTINATIONS', 'maybe'],
    ['AUTH_SECRET', 'short'],
    ['LOG_LEVEL', 'loud'],
  ])('stops on a bad %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('serves the demo unless DEMO=false, or NODE_ENV=production with DEMO unset', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO: 'true' }).demo).toBe(true);
  });

  it('accepts the three database URL forms', () => {
    for (const url of ['sqlite:./data/x.sqlite', 'sqlite::memory:', 'mysql://user:pass@127.0.0.1:3306/db']) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('requires TURN_SECRET with TURN_URLS', () => {
    expect(() => loadConfig({ TURN_URLS: 'turn:127.0.0.1:3478' })).toThrow('TURN_SECRET');
  });

  it('accepts redis:// URLs and names REDIS_URL on a bad one', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(loadConfig({ REDIS_URL: 'rediss://user:pw@cache.example.com:6380' }).redisUrl).toBe('rediss://user:pw@cache.example.com:6380');
    for (const bad of ['http://127.0.0.1:6379', 'redis://127.0.0.1:6379/x', 'not a url']) {
      expect(() => loadConfig({ REDIS_URL: bad })).toThrow('REDIS_URL');
    }
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'has space' })).toThrow('REDIS_KEY_PREFIX');
    expect(() => loadConfig({ REDIS_INSTANCE_TTL_MS: '60000' })).toThrow('REDIS_INSTANCE_TTL_MS');
  });

  it('has every variable documented in the README', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const spec of Object.values(CONFIG_SPEC)) expect(readme).toContain(`\`${spec.env}\``);
  });
});
