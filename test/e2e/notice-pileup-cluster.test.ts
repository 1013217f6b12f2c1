import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpBalancer, type TcpBalancer } from '../../backend/net/tcp-balancer.js';
import type { Message } from '../../sdk/types.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, until } from '../helpers/browser.js';
import { createMysqlDatabase } from '../helpers/databases.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../helpers/redis.js';
import { makeClient } from '../helpers/sdk-client.js';
import { api, guest, startTestServer, type TestServer } from '../helpers/server.js';
import type { Browser } from 'playwright-core';

// The reload case of issue 13 behind a load balancer: three instances on Redis and MySQL, the
// page reached through a round-robin TCP balancer, so the reloads' sockets spread over the
// instances (fails with LEAVE_GRACE_MS=0: enter, leave, enter, … reach the observer). The user is the same (the widget keeps its guest token per server URL
// and nickname) and is back within the grace, so no instance may announce a leave or an enter.
const prefix = uniquePrefix('reload');
let db: { url: string; drop(): Promise<void> };
let servers: TestServer[] = [];
let balancer: TcpBalancer;
let browser: Browser;

beforeAll(async () => {
  await ensureWidgetBuilt();
  db = await createMysqlDatabase('reload_notices');
  for (let i = 0; i < 3; i++) {
    servers.push(await startTestServer({ databaseUrl: db.url, env: { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix, LEAVE_GRACE_MS: '30000' } }));
  }
  balancer = await startTcpBalancer({ targets: () => servers.map((s) => s.port) });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await balancer?.close();
  for (const s of servers) await s.stop();
  servers = [];
  await db?.drop();
  await deletePrefix(redisTestUrl(), prefix);
});

describe('join/leave notices across instances', () => {
  it('three reloads through a round-robin balancer, spread over instances, announce nothing to a member on a fourth connection', async () => {
    const owner = (await guest(servers[0]!, 'owner')).token;
    const roomId = (await api<{ id: number }>(servers[0]!, 'POST', '/api/rooms', owner, { name: 'reloads', kind: 'chat', maxUsers: 10 })).body.id;
    const observer = makeClient(servers[0]!.url, 'observer');
    await observer.connect();
    const handle = await observer.join(roomId);
    const seen: Message[] = [...handle.messages];
    handle.on('message', (m) => seen.push(m));
    const page = await openPage(browser, `${balancer.url}/embed.html?room=${roomId}&nickname=Reloader&lang=en`);
    const sessionsOn = (): number[] => servers.map((s) => [...s.app.broker.allSessions()].length);
    try {
      const composer = page.page.locator('chat-room chat-composer textarea');
      await composer.waitFor();
      await until(() => seen.some((m) => m.type === 'enter' && m.sender.nickname === 'Reloader'), 'the first enter');
      const landed = new Set<string>();
      for (let i = 1; i <= 3; i++) {
        await page.page.reload();
        await composer.waitFor();
        landed.add(JSON.stringify(sessionsOn()));
      }
      await composer.fill('still me');
      await composer.press('Enter');
      // One ordered stream: once the observer has this, it has every notice the reloads caused.
      await until(() => seen.some((m) => m.type === 'text' && m.text === 'still me'), 'the message after the reloads');
      const notices = seen.filter((m) => (m.type === 'enter' || m.type === 'leave') && m.sender.nickname === 'Reloader').map((m) => m.type);
      expect(notices).toEqual(['enter']);
      expect(handle.members.filter((u) => u.nickname === 'Reloader')).toHaveLength(1);
      // The reloads did spread over instances (else this would test one instance only).
      expect(landed.size).toBeGreaterThan(1);
      expect(realErrors(page.errors)).toEqual([]);
    } finally {
      await page.context.close();
      await observer.disconnect();
    }
  }, 90_000);
});
