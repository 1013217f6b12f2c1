import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { burst, peer } from './limits-support.js';

describe('limits shared by two instances through Redis', () => {
  const prefix = uniquePrefix('limits');
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const env = {
      REDIS_URL: redisTestUrl(),
      REDIS_KEY_PREFIX: prefix,
      TRUST_PROXY: '1',
      JOIN_USER_PER_MIN: '1',
      JOIN_USER_BURST: '10',
      PASSWORD_TRIES: '5',
      PASSWORD_TRY_EVERY_S: '600',
      SESSION_ADDRESS_PER_MIN: '1',
      SESSION_ADDRESS_BURST: '6',
    };
    a = await startTestServer({ env });
    b = await startTestServer({ env, databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
    await deletePrefix(redisTestUrl(), prefix);
  });

  it('one user joining through both instances gets one budget of joins, not one per instance', async () => {
    const u = await guest(a, 'roamer');
    const rooms = await Promise.all(Array.from({ length: 20 }, async () => (await api<{ id: number }>(a, 'POST', '/api/rooms', u.token, { name: 'r' })).body.id));
    await whileServingOthers(a, async () => {
      const [pa, pb] = [await peer(a, u.token), await peer(b, u.token)];
      const tallies = await Promise.all([burst(pa, 10, 'j', (i) => ({ destination: `/app/rooms/${rooms[i]!}/join`, body: '' })), burst(pb, 10, 'j', (i) => ({ destination: `/app/rooms/${rooms[10 + i]!}/join`, body: '' }))]);
      const ok = tallies.reduce((n, t) => n + (t['ok'] ?? 0), 0);
      // Separate buckets would have let all 20 through.
      expect(ok).toBe(10);
      expect(tallies.reduce((n, t) => n + (t['RATE_LIMITED'] ?? 0), 0)).toBe(10);
      pa.close();
      pb.close();
    });
  });

  it('password tries and guest tokens per address count across instances', async () => {
    const owner = await guest(a, 'owner');
    const roomId = (await api<{ id: number }>(a, 'POST', '/api/rooms', owner.token, { name: 'locked', password: 'right' })).body.id;
    await whileServingOthers(a, async () => {
      const thief = await guest(b, 'thief');
      const [pa, pb] = [await peer(a, thief.token, '198.51.100.5'), await peer(b, thief.token, '198.51.100.5')];
      const guess = (i: number) => ({ destination: `/app/rooms/${roomId}/join`, body: JSON.stringify({ password: `g${i}` }) });
      const first = await burst(pa, 4, 'g', guess);
      const second = await burst(pb, 4, 'g', guess);
      expect([first, second]).toEqual([{ BAD_PASSWORD: 4 }, { BAD_PASSWORD: 1, TOO_MANY_ATTEMPTS: 3 }]);
      pa.close();
      pb.close();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${[a, b][i % 2]!.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.6' }, body: '{"nickname":"n"}' });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    });
  });
});
