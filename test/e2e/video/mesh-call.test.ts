import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousAxeViolations } from '../../helpers/browser.js';
import { api, guest, startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { launchMediaBrowser } from './support/chromium.js';
import { startPageServer } from './support/page-server.js';
import type { PageServer } from './support/page-server.js';
import { framesRising, joinToFirstFrame, openParticipant, until } from './support/participants.js';
import type { Participant } from './support/participants.js';

// Real backend, real Chromium, real WebRTC over loopback; the call page uses the SDK's
// `room.call()` and the widget's <chat-call-panel>.
let server: TestServer;
let pages: PageServer;
let browser: Browser;
let ownerToken: string;
const opened: Participant[] = [];

const newVideoRoom = async (name: string): Promise<number> =>
  (await api<{ id: number }>(server, 'POST', '/api/rooms', ownerToken, { name, kind: 'video', maxUsers: 10 })).body.id;

async function participant(nickname: string, roomId: number): Promise<Participant> {
  const p = await openParticipant(browser, pages, server, nickname, roomId);
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

describe('video calls in a mesh, in Chromium', () => {
  it('three participants join through the call panel and each decodes video from the other two', async () => {
    const roomId = await newVideoRoom('three-way');
    const names = ['민수', 'Alex', 'Sora'];
    const people = await Promise.all(names.map((n) => participant(n, roomId)));
    // Join one after the other, as people do: each newcomer offers to everyone already there.
    for (const p of people) expect((await p.start()).state).toBe('joined');
    for (const p of people) {
      const others = names.filter((n) => n !== p.nickname);
      const rising = await framesRising(p, others, 45_000);
      for (const n of others) expect(rising[n], `${p.nickname} decodes ${n}`).toBeGreaterThan(0);
    }
    // What a person sees: two tiles with names, both videos playing.
    for (const p of people) {
      await until(async () => (await p.view()).tiles.filter((t) => t.playing).length === 2, `${p.nickname}'s panel plays two videos`);
      const { tiles } = await p.view();
      expect(tiles.map((t) => t.nickname).sort()).toEqual(names.filter((n) => n !== p.nickname).sort());
    }
    const t = await joinToFirstFrame(people);
    expect(t.pairs).toHaveLength(6);
    console.log(`[video] join → first decoded frame, direct (3-way mesh): median ${t.medianMs} ms, max ${t.maxMs} ms (join() resolved: median ${t.joinMedianMs} ms; peer connected: median ${t.connectedMedianMs} ms); ${t.pairs.map((p) => `${p.viewer}←${p.sender} ${p.ms}`).join(', ')}`);
    for (const p of people) expect(p.consoleErrors).toEqual([]);
    await Promise.all(people.map((p) => p.close()));
  }, 120_000);

  it('a participant who reloads the page mid-call rejoins, and media flows both ways again', async () => {
    const roomId = await newVideoRoom('reload');
    const [jin, mia] = await Promise.all([participant('Jin', roomId), participant('Mia', roomId)]);
    await jin.start();
    const first = await mia.start();
    expect((await framesRising(jin, ['Mia']))['Mia']).toBeGreaterThan(0);
    expect((await framesRising(mia, ['Jin']))['Jin']).toBeGreaterThan(0);

    await mia.page.reload();
    const again = await mia.start();
    expect(again.state).toBe('joined');
    expect(again.participantId).not.toBe(first.participantId);
    // Jin sees one Mia: the one who came back (the old participant left when the page unloaded).
    await until(async () => {
      const list = (await jin.stats()).filter((s) => s.nickname === 'Mia');
      return list.length === 1 && list[0]!.id === again.participantId;
    }, 'Jin to see the reloaded Mia only');
    expect((await framesRising(jin, ['Mia']))['Mia'], 'Jin decodes Mia after her reload').toBeGreaterThan(0);
    expect((await framesRising(mia, ['Jin']))['Jin'], 'the reloaded Mia decodes Jin').toBeGreaterThan(0);
    expect((await jin.diagnostics()).errors).toEqual([]);
    await Promise.all([jin.close(), mia.close()]);
  }, 90_000);

  it('when the chat connection drops mid-call, the SDK reconnects, the call re-joins by itself and media flows again', async () => {
    const roomId = await newVideoRoom('drop');
    const [kai, noa] = await Promise.all([participant('Kai', roomId), participant('Noa', roomId)]);
    const k = await kai.start();
    const n = await noa.start();
    expect((await framesRising(kai, ['Noa']))['Noa']).toBeGreaterThan(0);
    // Every STOMP socket dies: the server takes both out of the call at once.
    server.dropAllSockets();
    await until(async () => {
      const [sk, sn] = await Promise.all([kai.stats(), noa.stats()]);
      return sk.length === 1 && sn.length === 1 && sk[0]!.id !== n.participantId && sn[0]!.id !== k.participantId;
    }, 'both to re-join as new participants', 30_000);
    expect((await framesRising(kai, ['Noa'], 30_000))['Noa'], 'Kai decodes Noa after the re-join').toBeGreaterThan(0);
    expect((await framesRising(noa, ['Kai'], 30_000))['Kai'], 'Noa decodes Kai after the re-join').toBeGreaterThan(0);
    const [dk, dn] = await Promise.all([kai.diagnostics(), noa.diagnostics()]);
    expect([dk.state, dn.state]).toEqual(['joined', 'joined']);
    expect([...dk.errors, ...dn.errors]).toEqual([]);
    await Promise.all([kai.close(), noa.close()]);
  }, 90_000);

  it('glare: two participants start publishing at the same instant and both end up with each other\'s media', async () => {
    // Both join view-only with their devices already open, then publish at one wall-clock instant:
    // both peers fire negotiationneeded together and their offers cross. Should the offers happen
    // not to cross (a loaded machine), the round is repeated in a fresh room, up to three times.
    let collided = false;
    for (let round = 1; round <= 3 && !collided; round++) {
      const roomId = await newVideoRoom(`glare-${round}`);
      const [ara, ben] = await Promise.all([participant('Ara', roomId), participant('Ben', roomId)]);
      await ara.start({ audio: false, video: false, prewarm: true });
      await ben.start({ audio: false, video: false, prewarm: true });
      await until(async () => (await ara.stats())[0]?.connectionState === 'connected' && (await ben.stats())[0]?.connectionState === 'connected', 'the view-only pair to connect');
      const at = Date.now() + 500;
      const started = await Promise.all([ara, ben].map((p) => p.page.evaluate((t) => window.parleyTest.publishAt(t), at)));
      expect((await framesRising(ara, ['Ben']))['Ben'], 'Ara decodes Ben').toBeGreaterThan(0);
      expect((await framesRising(ben, ['Ara']))['Ara'], 'Ben decodes Ara').toBeGreaterThan(0);
      const [da, db] = await Promise.all([ara.diagnostics(), ben.diagnostics()]);
      console.log(`[video] glare round ${round}: publish skew ${Math.abs(started[0]! - started[1]!)} ms; Ara (earlier, impolite): ${da.notes.join(' ') || '-'}; Ben (newcomer, polite): ${db.notes.join(' ') || '-'}`);
      expect([...da.errors, ...db.errors]).toEqual([]);
      expect([...ara.consoleErrors, ...ben.consoleErrors]).toEqual([]);
      // Roles: only the impolite side ignores, only the polite side rolls back.
      expect(da.notes.filter((n) => n.endsWith('offer-collision-rolled-back'))).toEqual([]);
      expect(db.notes.filter((n) => n.endsWith('offer-collision-ignored'))).toEqual([]);
      collided = da.notes.some((n) => n.endsWith('offer-collision-ignored')) && db.notes.some((n) => n.endsWith('offer-collision-rolled-back'));
      await Promise.all([ara.close(), ben.close()]);
    }
    expect(collided, 'the offers crossed (glare) in at least one round').toBe(true);
  }, 150_000);

  it('the panel is usable from the keyboard, speaks Korean, and shows a remote mute', async () => {
    const roomId = await newVideoRoom('panel');
    const [yuna, tom] = await Promise.all([participant('유나', roomId), participant('Tom', roomId)]);
    await yuna.start({ lang: 'ko' });
    await tom.start();
    await framesRising(tom, ['유나']);
    const mic = yuna.page.locator('chat-call-panel button.mic');
    expect(await mic.getAttribute('aria-label')).toBe('마이크 끄기');
    expect(await mic.getAttribute('aria-pressed')).toBe('true');
    await mic.focus();
    await yuna.page.keyboard.press('Enter');
    await until(async () => (await mic.getAttribute('aria-pressed')) === 'false', 'the mic toggle to turn off');
    expect(await mic.getAttribute('aria-label')).toBe('마이크 켜기');
    // Tom sees the mute mark on 유나's tile.
    await until(async () => (await tom.view()).tiles.some((t) => t.nickname === '유나' && t.label.includes('Microphone off')), "Tom to see 유나 muted");
    // Every control is a native, focusable button with a name.
    const buttons = yuna.page.locator('chat-call-panel [role="toolbar"] button');
    expect(await buttons.count()).toBeGreaterThanOrEqual(3);
    for (const b of await buttons.all()) expect((await b.getAttribute('aria-label')) ?? (await b.textContent())?.trim()).toBeTruthy();
    expect(await seriousAxeViolations(yuna.page, 'chat-call-panel')).toEqual([]);
    await Promise.all([yuna.close(), tom.close()]);
  }, 90_000);

  it('the fifth participant (cap 4) gets the typed CALL_FULL refusal and a clear message', async () => {
    const roomId = await newVideoRoom('full');
    const people = await Promise.all(['P1', 'P2', 'P3', 'P4', 'P5'].map((n) => participant(n, roomId)));
    for (const p of people.slice(0, 4)) expect((await p.start({ audio: false, video: false })).state).toBe('joined');
    const fifth = await people[4]!.start({ audio: false, video: false });
    expect(fifth).toMatchObject({ state: 'left', error: 'CALL_FULL', participantId: undefined });
    expect((await people[4]!.view()).notices).toContain('This call is full (4 people). Try again later.');
    // The four inside are unaffected.
    await until(async () => (await people[0]!.stats()).length === 3, 'P1 to see the three others');
    await Promise.all(people.map((p) => p.close()));
  }, 90_000);
});
