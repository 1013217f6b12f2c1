import { describe, expect, it } from 'vitest';
import { KeyedLane } from '../../../backend/messages/lane.js';
import { RateLimiter } from '../../../backend/messages/rate-limiter.js';
import { InMemoryPresenceStore } from '../../../backend/presence/presence-store.js';
import { hashPassword, verifyPassword } from '../../../backend/rooms/password.js';
import { RouteTable } from '../../../backend/stomp/destinations.js';
import { requireText } from '../../../backend/validation.js';

describe('KeyedLane', () => {
  it('runs tasks of one key one at a time, in order, even when one fails', async () => {
    const lane = new KeyedLane<number>();
    const log: string[] = [];
    const slow = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const a = lane.run(1, slow('a', 20, true));
    const b = lane.run(1, slow('b', 1));
    const c = lane.run(2, slow('c', 1));
    await expect(a).rejects.toThrow('a');
    expect(await b).toBe('b');
    expect(await c).toBe('c');
    expect(log.indexOf('start b')).toBeGreaterThan(log.indexOf('end a'));
    expect(log.indexOf('start c')).toBeLessThan(log.indexOf('end a'));
    await lane.drain();
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    let now = 0;
    const r = new RateLimiter(2, 3, () => now);
    expect([r.take('u'), r.take('u'), r.take('u'), r.take('u')]).toEqual([true, true, true, false]);
    now += 500;
    expect(r.take('u')).toBe(true);
    expect(r.take('u')).toBe(false);
    expect(r.take('other')).toBe(true);
  });

  it('is off at 0 per second', () => {
    const r = new RateLimiter(0, 1, () => 0);
    for (let i = 0; i < 100; i++) expect(r.take('u')).toBe(true);
    expect(r.takeOrWait('u')).toBe(0);
  });

  it('tells how long until the next token: 0 while one is left, then the refill time', () => {
    let now = 0;
    const r = new RateLimiter(4, 2, () => now);
    expect(r.takeOrWait('u')).toBe(0);
    expect(r.takeOrWait('u')).toBe(0);
    expect(r.takeOrWait('u')).toBe(250);
    now += 100;
    expect(r.take('u')).toBe(false);
    expect(r.takeOrWait('u')).toBe(150);
    now += 150;
    expect(r.takeOrWait('u')).toBe(0);
    expect(r.take('u')).toBe(false);
  });
});

describe('InMemoryPresenceStore', () => {
  const alice = { id: 'a', nickname: 'Alice' };
  it('counts distinct users, not sessions, and never goes below zero', async () => {
    const p = new InMemoryPresenceStore();
    expect((await p.addSession(1, alice, 's1')).userWasAbsent).toBe(true);
    expect((await p.addSession(1, alice, 's2')).userWasAbsent).toBe(false);
    expect(await p.userCount(1)).toBe(1);
    expect((await p.removeSession(1, 'a', 's1')).userHasNoSessions).toBe(false);
    expect((await p.removeSession(1, 'a', 's2')).userHasNoSessions).toBe(true);
    expect(await p.userCount(1)).toBe(1); // still present until removeUser (grace period)
    expect(await p.removeUser(1, 'a')).toBe(true);
    expect(await p.removeUser(1, 'a')).toBe(false);
    expect((await p.removeSession(1, 'a', 's2')).userHasNoSessions).toBe(false);
    expect(await p.userCount(1)).toBe(0);
  });

  it('refuses a new user at the cap but lets a present user add sessions', async () => {
    const p = new InMemoryPresenceStore();
    expect((await p.addSession(1, alice, 's1', 1)).full).toBe(false);
    expect((await p.addSession(1, { id: 'b', nickname: 'Bob' }, 's2', 1)).full).toBe(true);
    expect((await p.addSession(1, alice, 's3', 1)).full).toBe(false);
    expect(await p.userCount(1)).toBe(1);
  });

  it('knows the rooms of a session', async () => {
    const p = new InMemoryPresenceStore();
    await p.addSession(1, alice, 's1');
    await p.addSession(2, alice, 's1');
    expect(p.roomsOfSession('s1').sort()).toEqual([1, 2]);
    await p.clearRoom(1);
    expect(p.roomsOfSession('s1')).toEqual([2]);
    expect(p.hasSession(1, 's1')).toBe(false);
  });
});

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one; hashes are salted', async () => {
    const h1 = await hashPassword('비밀번호');
    const h2 = await hashPassword('비밀번호');
    expect(h1).not.toBe(h2);
    expect(h1).not.toContain('비밀번호');
    expect(await verifyPassword('비밀번호', h1)).toBe(true);
    expect(await verifyPassword('비밀번호!', h1)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('RouteTable', () => {
  it('matches one segment per parameter', () => {
    const t = new RouteTable<string>().add('/app/rooms/{id}/join', 'join');
    expect(t.match('/app/rooms/42/join')).toEqual({ value: 'join', params: { id: '42' } });
    expect(t.match('/app/rooms/4/2/join')).toBeUndefined();
    expect(t.match('/app/rooms/42/join/x')).toBeUndefined();
  });
});

describe('requireText', () => {
  it('counts Korean syllables and emoji as one character each and trims', () => {
    expect(requireText('  민수  ', 'nickname', 1, 2)).toBe('민수');
    expect(requireText('😀😀', 'nickname', 1, 2)).toBe('😀😀');
    expect(() => requireText('민수야', 'nickname', 1, 2)).toThrow(/at most 2/);
    expect(() => requireText('a\u0007', 'nickname', 1, 32)).toThrow(/control/);
    expect(() => requireText('   ', 'nickname', 1, 32)).toThrow(/at least 1/);
  });
});
