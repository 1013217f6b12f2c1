import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../../sdk/protocol/shapes.js';
import { whileServingOthers } from '../../helpers/bystander.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';

interface Page {
  rooms: Room[];
  nextCursor: string | null;
}

describe('GET /api/rooms is paged', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers at most `limit` rooms a page and walks every room once by cursor', async () => {
    const owner = await guest(server, 'owner');
    for (let i = 0; i < 120; i++) await api(server, 'POST', '/api/rooms', owner.token, { name: `r${i}` });
    await whileServingOthers(server, async () => {
      const first = await api<Page>(server, 'GET', '/api/rooms');
      expect(first.status).toBe(200);
      // Without limit: 50, the default; without cursor: the first page, so `{rooms}` readers keep working.
      expect(first.body.rooms).toHaveLength(50);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: Page } = await api<Page>(server, 'GET', `/api/rooms?limit=33${cursor === null ? '' : `&cursor=${cursor}`}`);
        expect(page.status).toBe(200);
        expect(page.body.rooms.length).toBeLessThanOrEqual(33);
        seen.push(...page.body.rooms.map((r) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      // 120 plus the bystander's room, each once, ascending.
      expect(seen).toHaveLength(121);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(new Set(seen).size).toBe(121);
    });
  });

  it('refuses a limit out of range or a forged cursor with 400 VALIDATION_FAILED', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=x', 'cursor=bm9wZQ', 'cursor=%%%']) {
      const res = await api<{ error: { code: string } }>(server, 'GET', `/api/rooms?${q}`);
      expect(`${q} ${res.status} ${res.body.error.code}`).toBe(`${q} 400 VALIDATION_FAILED`);
    }
  });
});
