import { describe, expect, it } from 'vitest';
import type { Room } from '../../../sdk/types.js';
import { applyLobbyEvent } from '../../../widget/controllers/lobby-controller.js';
import { bannerKind } from '../../../widget/connection-banner/connection-banner.component.js';

const room = (id: number, userCount = 0): Room => ({ id, name: `r${id}`, kind: 'chat', userCount, maxUsers: 10, locked: false, ownerId: 'u', moderatorIds: [], createdAt: '' });

describe('applyLobbyEvent', () => {
  it('adds, updates and removes rooms, keeping them ordered by id', () => {
    let rooms: Room[] = [room(1), room(3)];
    rooms = applyLobbyEvent(rooms, { type: 'room-created', room: room(2) });
    expect(rooms.map((r) => r.id)).toEqual([1, 2, 3]);
    rooms = applyLobbyEvent(rooms, { type: 'room-updated', room: room(3, 7) });
    expect(rooms.find((r) => r.id === 3)?.userCount).toBe(7);
    rooms = applyLobbyEvent(rooms, { type: 'room-deleted', roomId: 1 });
    expect(rooms.map((r) => r.id)).toEqual([2, 3]);
  });
});

describe('bannerKind', () => {
  it('shows nothing while connected or before the first connection (the body says so)', () => {
    expect(bannerKind('connected', true, true)).toBe('none');
    expect(bannerKind('connecting', true, false)).toBe('none');
    expect(bannerKind('disconnected', false, false)).toBe('none');
  });
  it('says reconnecting, offline or disconnected after a loss', () => {
    expect(bannerKind('reconnecting', true, true)).toBe('reconnecting');
    expect(bannerKind('reconnecting', false, true)).toBe('offline');
    expect(bannerKind('disconnected', true, true)).toBe('disconnected');
  });
});
