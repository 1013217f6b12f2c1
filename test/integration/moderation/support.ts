/**
 * Helpers of the moderation suites: site-admin tokens, STOMP attempts that answer 'ok' or the
 * refusal code, and the reader of the matrices in docs/authorization.md.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { repoRoot } from '../../../backend/repo-root.js';
import type { RawStomp } from '../../helpers/raw-stomp.js';
import { TEST_HOST_SECRET, api, type TestServer } from '../../helpers/server.js';
import { ERRORS, rid, sendAndAnswer, wsUrl, type Peers, type User } from '../stomp/support.js';
import { RawStomp as Raw } from '../../helpers/raw-stomp.js';

/** What an attempt came to: allowed, or the refusal's code. */
export type Outcome = 'ok' | string;

/**
 * A site admin's token, signed with the test server's secret and carrying `roles: ["admin"]`, as
 * a host token would (the host-token issue replaces the guest secret with AUTH_JWT_SECRET/JWKS).
 */
export async function adminUser(nickname = 'admin', nowMs = Date.now()): Promise<User> {
  const sub = `admin-${randomBytes(4).toString('hex')}`;
  const id = `h_${sub}`;
  const nowS = Math.floor(nowMs / 1000);
  const token = await new SignJWT({ name: nickname, roles: ['admin'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + 3600)
    .sign(new TextEncoder().encode(TEST_HOST_SECRET));
  return { token, user: { id, nickname } };
}

/** A REST call's outcome: 'ok' for a 2xx, else the error code of the body. */
export async function restOutcome(server: TestServer, method: string, path: string, token: string | undefined, body?: unknown): Promise<Outcome> {
  const res = await api<{ error?: { code: string } }>(server, method, path, token, body);
  if (res.status >= 200 && res.status < 300) return 'ok';
  return res.body?.error?.code ?? `HTTP_${res.status}`;
}

/** A connected peer subscribed to its refusals, or the code of the CONNECT's ERROR. */
export async function stompSession(peers: Peers, server: TestServer, token: string | undefined): Promise<{ peer: RawStomp } | { refused: string }> {
  const peer = peers.track(await Raw.ws(wsUrl(server)));
  peer.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) });
  const f = await peer.next((x) => x.command === 'CONNECTED' || x.command === 'ERROR');
  if (f.command === 'ERROR') return { refused: f.headers.get('x-error-code') ?? 'ERROR' };
  const r = rid('errq');
  peer.send('SUBSCRIBE', { id: 'errors', destination: ERRORS, receipt: r });
  await peer.receipt(r);
  return { peer };
}

/**
 * Sends a frame with a receipt: 'ok' on its RECEIPT, the code of its refusal on
 * `/user/queue/errors`, or the code of an ERROR. `receiptHeaders` receives the RECEIPT's headers.
 */
export async function attempt(peer: RawStomp, command: Parameters<RawStomp['send']>[0], headers: Record<string, string>, body = '', receiptHeaders?: (h: ReadonlyMap<string, string>) => void): Promise<Outcome> {
  const { frame: f } = await sendAndAnswer(peer, command, headers, body, 'try');
  if (f.command === 'RECEIPT') {
    receiptHeaders?.(f.headers);
    return 'ok';
  }
  return f.headers.get('x-error-code') ?? 'UNKNOWN';
}

/** One matrix of docs/authorization.md: expected outcome by actor, then by action. */
export interface Matrix {
  readonly actions: readonly string[];
  readonly cells: ReadonlyMap<string, ReadonlyMap<string, Outcome>>;
}

const CELL = /^(✅|[A-Z][A-Z0-9_]*)$/u;

/** Reads the table after `<!-- matrix:{name} -->`; throws on anything but the fixed cell syntax. */
export function readMatrix(name: string, markdown = readFileSync(`${repoRoot(import.meta.url)}docs/authorization.md`, 'utf8')): Matrix {
  const marker = `<!-- matrix:${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`docs/authorization.md has no ${marker}`);
  const lines = markdown.slice(at + marker.length).split('\n').map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith('|'));
  const table: string[] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    table.push(l);
  }
  const split = (l: string): string[] => l.slice(1, l.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trim());
  const [head, rule, ...rows] = table;
  if (head === undefined || rule === undefined || !/^\|(\s*-+\s*\|)+$/.test(rule)) throw new Error(`matrix ${name}: no header and rule line`);
  const [corner, ...actions] = split(head);
  if (corner !== 'actor') throw new Error(`matrix ${name}: the first column must be "actor", got ${String(corner)}`);
  const cells = new Map<string, Map<string, Outcome>>();
  for (const row of rows) {
    const [actor, ...values] = split(row);
    if (actor === undefined || values.length !== actions.length) throw new Error(`matrix ${name}: row "${row}" has ${values.length} cells, expected ${actions.length}`);
    const byAction = new Map<string, Outcome>();
    values.forEach((v, i) => {
      if (!CELL.test(v)) throw new Error(`matrix ${name}: cell ${actor} × ${actions[i]!} is "${v}", expected ✅ or an error code`);
      byAction.set(actions[i]!, v === '✅' ? 'ok' : v);
    });
    cells.set(actor, byAction);
  }
  return { actions, cells };
}

/** The actors every matrix must have, in the order of the doc. */
export const ACTORS = ['guest', 'member', 'muted member', 'banned user', 'moderator', 'owner', 'admin', 'non-authenticated'] as const;
export type ActorName = (typeof ACTORS)[number];

/**
 * One test per cell of `matrix`: a fresh cell (room, owner…) from `makeCell`, the actor set up in it,
 * the action performed as that actor, and its outcome compared with the cell.
 */
export function itEachCell<C, A>(
  matrix: Matrix,
  actors: Record<ActorName, (cell: C) => Promise<A>>,
  actions: Record<string, (cell: C, actor: A) => Promise<Outcome>>,
  makeCell: () => Promise<C>,
): void {
  for (const actorName of ACTORS) {
    for (const action of matrix.actions) {
      const expected = matrix.cells.get(actorName)?.get(action);
      it(`${actorName} × ${action} → ${expected === 'ok' ? '✅' : String(expected)}`, async () => {
        const cell = await makeCell();
        const actor = await actors[actorName](cell);
        const perform = actions[action];
        if (perform === undefined) throw new Error(`no action function for "${action}"`);
        expect(await perform(cell, actor)).toBe(expected);
      });
    }
  }
}
