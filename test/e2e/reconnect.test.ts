import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, guest, startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { makeClient } from '../helpers/sdk-client.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, until } from '../helpers/browser.js';
import type { HistoryPage } from '../../sdk/types.js';

let server: TestServer;
let browser: Browser;
let token: string;

beforeAll(async () => {
  await ensureWidgetBuilt();
  // A short grace keeps nobody "in the room" for long after the restart.
  server = await startTestServer({ env: { LEAVE_GRACE_MS: '2000' } });
  browser = await launchBrowser();
  token = (await guest(server, 'observer')).token;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function storedTexts(roomId: number): Promise<string[]> {
  const res = await api<HistoryPage>(server, 'GET', `/api/rooms/${roomId}/messages?limit=200`, token);
  return res.body.messages.filter((m) => m.type === 'text').map((m) => m.text);
}

describe('connection loss', () => {
  it('shows the reconnecting banner and pending messages while the server is down, then confirms them, losing nothing', async () => {
    const roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', token, { name: 'outage' })).body.id;
    // The widget reaches the server through a proxy that the test can cut: the browser stays
    // "online", the server cannot be reached (and is restarted meanwhile).
    const proxy = await startTcpProxy(server.port);
    const tab = await openPage(browser, `${server.url}/embed.html?room=${roomId}&nickname=${encodeURIComponent('민수')}&lang=ko&server=${encodeURIComponent(proxy.url)}`);
    const peer = makeClient(server.url, 'Alex');
    try {
      const p = tab.page;
      const box = p.locator('chat-room chat-composer textarea');
      await box.waitFor();
      await peer.connect();
      const peerRoom = await peer.join(roomId);

      proxy.cut();
      await server.restart();

      const banner = p.locator('chat-room [part~="banner"]');
      await banner.waitFor();
      expect(await banner.getAttribute('data-kind')).toBe('reconnecting');
      expect(await p.locator('chat-room [part~="banner-text"]').textContent()).toBe('연결이 끊겼습니다. 다시 연결하는 중…');

      await box.fill('서버가 꺼진 동안 보낸 메시지');
      await box.press('Enter');
      const pending = p.locator('chat-room [part~="message-pending"]');
      await pending.waitFor();
      expect(await pending.locator('[part~="text"]').textContent()).toBe('서버가 꺼진 동안 보낸 메시지');
      expect(await pending.locator('[part~="message-status"]').textContent()).toBe('보내는 중…');
      expect(await p.locator('chat-room [part~="banner-pending"]').textContent()).toBe('보내기를 기다리는 메시지 1개');

      // Meanwhile the other user, who can reach the server, keeps talking.
      await until(() => peer.state === 'connected' && peerRoom.isLive, 'peer back');
      await peerRoom.send('while you were away');
      // Still cut off: still pending, nothing of ours stored.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await pending.count()).toBe(1);
      expect(await banner.getAttribute('data-kind')).toBe('reconnecting');
      expect(await storedTexts(roomId)).toEqual(['while you were away']);

      // The server is reachable again: the banner clears, the pending message is confirmed, the peer's arrives.
      proxy.restore();
      await banner.waitFor({ state: 'detached', timeout: 20_000 });
      await pending.waitFor({ state: 'detached' });
      const own = p.locator('chat-room [part~="message-own"] [part~="text"]');
      await until(async () => (await own.allTextContents()).includes('서버가 꺼진 동안 보낸 메시지'), 'own message confirmed');
      const others = p.locator('chat-room [part~="message-other"] [part~="text"]');
      await until(async () => (await others.allTextContents()).includes('while you were away'), 'missed message delivered');
      // Each stored exactly once.
      expect(await storedTexts(roomId)).toEqual(['while you were away', '서버가 꺼진 동안 보낸 메시지']);
      expect(realErrors(tab.errors).filter((e) => !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(e))).toEqual([]);
    } finally {
      await peer.disconnect();
      await tab.context.close();
      await proxy.close();
    }
  });

  it('falls back to SockJS (a lazily loaded chunk) when WebSocket upgrades are refused', async () => {
    const roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', token, { name: 'sockjs' })).body.id;
    const proxy = await startTcpProxy(server.port);
    proxy.refuseWebSocket = true;
    const tab = await openPage(browser, `${server.url}/embed.html?room=${roomId}&nickname=sock&lang=en&server=${encodeURIComponent(proxy.url)}`);
    const chunks: string[] = [];
    tab.page.on('request', (r) => {
      if (r.url().includes('/widget/chunks/')) chunks.push(r.url());
    });
    try {
      const p = tab.page;
      const box = p.locator('chat-room chat-composer textarea');
      await box.waitFor({ timeout: 20_000 });
      await box.fill('over SockJS');
      await box.press('Enter');
      await p.locator('chat-room [part~="message-own"] [part~="text"]', { hasText: 'over SockJS' }).waitFor();
      expect(await storedTexts(roomId)).toEqual(['over SockJS']);
      expect(chunks.some((u) => /\/chunks\/entry-[^/]+\.js$/.test(u))).toBe(true);
      expect(realErrors(tab.errors).filter((e) => !/WebSocket|403|Failed to load resource/.test(e))).toEqual([]);
    } finally {
      await tab.context.close();
      await proxy.close();
    }
  });

  it('says "offline" while the browser has no network, keeps the message pending, and sends it once back online', async () => {
    const roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', token, { name: 'offline' })).body.id;
    const tab = await openPage(browser, `${server.url}/embed.html?room=${roomId}&nickname=Alex&lang=en`);
    try {
      const p = tab.page;
      const box = p.locator('chat-room chat-composer textarea');
      await box.waitFor();
      await tab.context.setOffline(true);
      server.dropAllSockets();
      const banner = p.locator('chat-room [part~="banner"]');
      await until(async () => (await banner.count()) > 0 && (await banner.getAttribute('data-kind')) === 'offline', 'offline banner');
      await box.fill('sent from a tunnel');
      await box.press('Enter');
      await p.locator('chat-room [part~="message-pending"]').waitFor();
      await new Promise((r) => setTimeout(r, 500));
      expect(await storedTexts(roomId)).toEqual([]);
      await tab.context.setOffline(false);
      await banner.waitFor({ state: 'detached', timeout: 20_000 });
      await until(async () => (await storedTexts(roomId)).length === 1, 'stored once');
      await p.locator('chat-room [part~="message-own"] [part~="text"]', { hasText: 'sent from a tunnel' }).waitFor();
      expect(await p.locator('chat-room [part~="message-pending"]').count()).toBe(0);
      expect(await storedTexts(roomId)).toEqual(['sent from a tunnel']);
    } finally {
      await tab.context.close();
    }
  });
});
