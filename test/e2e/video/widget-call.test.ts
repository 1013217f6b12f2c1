import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, guest, startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { launchMediaBrowser } from './support/chromium.js';
import { startPageServer } from './support/page-server.js';
import type { PageServer } from './support/page-server.js';
import { framesRising, openWidgetParticipant, until } from './support/participants.js';
import type { WidgetParticipant } from './support/participants.js';

// The whole widget, as a page embeds it: <chat-room server nickname room>. In a video room it
// loads the call panel and joins the call by itself; in a chat room a header button starts one.
let server: TestServer;
let pages: PageServer;
let browser: Browser;
let ownerToken: string;
const opened: WidgetParticipant[] = [];

async function room(kind: 'video' | 'chat', name: string): Promise<number> {
  return (await api<{ id: number }>(server, 'POST', '/api/rooms', ownerToken, { name, kind, maxUsers: 10 })).body.id;
}

async function person(nickname: string, roomId: number): Promise<WidgetParticipant> {
  const p = await openWidgetParticipant(browser, pages, server, nickname, roomId);
  opened.push(p);
  return p;
}

beforeAll(async () => {
  [server, pages, browser] = await Promise.all([startTestServer({ env: { STUN_URLS: '' } }), startPageServer(), launchMediaBrowser()]);
  ownerToken = (await guest(server, 'owner')).token;
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(opened.map((p) => p.close()));
  await browser?.close();
  await Promise.allSettled([pages?.stop(), server?.stop()]);
});

describe('calls in <chat-room>', () => {
  it('three participants join a video room through the widget and each decodes video from the other two', async () => {
    const roomId = await room('video', '영상 회의');
    const names = ['지수', 'Omar', 'Lena'];
    const people: WidgetParticipant[] = [];
    for (const n of names) {
      const p = await person(n, roomId);
      people.push(p);
      await until(async () => (await p.callState()) === 'joined', `${n} to be in the call`, 30_000);
    }
    for (const p of people) {
      const others = names.filter((n) => n !== p.nickname);
      const rising = await framesRising(p, others, 45_000);
      for (const n of others) expect(rising[n], `${p.nickname} decodes ${n}`).toBeGreaterThan(0);
      await until(async () => (await p.tiles()).filter((t) => t.playing).length === 2, `${p.nickname}'s widget plays two videos`);
    }
    // The chat goes on beside the call.
    await people[0]!.page.locator('chat-composer textarea').fill('다들 보이나요?');
    await people[0]!.page.locator('chat-composer textarea').press('Enter');
    await until(
      async () => (await people[2]!.page.locator('chat-message-list [part~="message"] [part~="text"]').allTextContents()).includes('다들 보이나요?'),
      'the message to reach Lena',
    );
    for (const p of people) expect(p.consoleErrors).toEqual([]);
    await Promise.all(people.map((p) => p.close()));
  }, 150_000);

  it('in a chat room, the call button starts a call, shows who is in it, and leaving hides the panel', async () => {
    const roomId = await room('chat', 'chat with a call');
    const [ria, sam] = await Promise.all([person('Ria', roomId), person('Sam', roomId)]);
    const riaButton = ria.page.locator('[part~="call-button"]');
    const samButton = sam.page.locator('[part~="call-button"]');
    await riaButton.waitFor();
    await samButton.waitFor();
    expect(await ria.page.locator('chat-call-panel').count()).toBe(0);
    expect(await riaButton.getAttribute('aria-label')).toBe('Start a call');
    await riaButton.click();
    await until(async () => (await ria.callState()) === 'joined', 'Ria to be in the call');
    await until(async () => (await samButton.getAttribute('aria-label')) === 'Join the call (1 person)', "Sam's button to show the call");
    await samButton.click();
    await until(async () => (await sam.callState()) === 'joined', 'Sam to be in the call');
    expect((await framesRising(ria, ['Sam']))['Sam']).toBeGreaterThan(0);
    expect((await framesRising(sam, ['Ria']))['Ria']).toBeGreaterThan(0);
    await sam.page.locator('chat-call-panel button.leave').click();
    await until(async () => (await sam.page.locator('chat-call-panel').count()) === 0, "Sam's panel to close");
    await until(async () => (await ria.stats()).length === 0, 'Ria to see Sam leave');
    expect(await samButton.getAttribute('aria-label')).toBe('Join the call (1 person)');
    await Promise.all([ria.close(), sam.close()]);
  }, 90_000);
});
