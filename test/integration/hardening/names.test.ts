import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';

/** Issue 11 item 9: names that lie about themselves (bidi overrides) or show nothing are refused. */
describe('nickname and room name spoofing', () => {
  let server: TestServer;
  let token: string;
  let roomId: number;
  beforeAll(async () => {
    server = await startTestServer();
    token = (await guest(server, 'owner')).token;
    roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', token, { name: 'mine' })).body.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  const spoofs: [string, string][] = [
    ['RLO override', 'admin\u202Egnp.exe'],
    ['LRE embedding', '\u202Aabc'],
    ['RLI isolate', 'a\u2067b'],
    ['LRM mark', 'x\u200E'],
    ['Arabic letter mark', 'x\u061C'],
    ['a zero-width space alone', '\u200B'],
    ['a Hangul filler alone', '\u3164'],
    ['Hangul choseong filler', '\u115F'],
    ['Hangul jungseong filler', '\u1160'],
    ['halfwidth Hangul filler', '\uFFA0'],
    ['word joiner and BOM', '\u2060\uFEFF'],
    ['zero-width joiners', '\u200D\u200C'],
    ['ideographic space', '\u3000\u3164'],
  ];

  it.each(spoofs)('refuses %s as a nickname, a new room name and a renamed room', async (_what, name) => {
    await whileServingOthers(server, async () => {
      const session = await api<{ error: { code: string } }>(server, 'POST', '/api/session', undefined, { nickname: name });
      expect(session.status).toBe(400);
      expect(session.body.error.code).toBe('VALIDATION_FAILED');
      const create = await api<{ error: { code: string } }>(server, 'POST', '/api/rooms', token, { name });
      expect(create.status).toBe(400);
      expect(create.body.error.code).toBe('VALIDATION_FAILED');
      const rename = await api<{ error: { code: string } }>(server, 'PATCH', `/api/rooms/${roomId}`, token, { name });
      expect(rename.status).toBe(400);
    });
  });

  it('normalises names to NFC and keeps legitimate ones (Korean, emoji with ZWJ, combining accents)', async () => {
    const decomposed = 'Jose\u0301'; // "José" as e + combining acute
    const session = await api<{ user: { nickname: string } }>(server, 'POST', '/api/session', undefined, { nickname: decomposed });
    expect(session.status).toBe(201);
    expect(session.body.user.nickname).toBe('Jos\u00E9');
    for (const name of ['민수', '👩‍💻 dev', 'ㅋㅋ']) {
      const ok = await api<{ user: { nickname: string } }>(server, 'POST', '/api/session', undefined, { nickname: name });
      expect(ok.status, name).toBe(201);
      expect(ok.body.user.nickname).toBe(name);
    }
    const room = await api<{ name: string }>(server, 'POST', '/api/rooms', token, { name: decomposed });
    expect(room.body.name).toBe('Jos\u00E9');
  });

  it('a nickname of 32 decomposed characters that NFC shortens is within the limit', async () => {
    const ok = await api(server, 'POST', '/api/session', undefined, { nickname: 'e\u0301'.repeat(32) });
    expect(ok.status).toBe(201);
  });
});
