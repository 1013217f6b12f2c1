import { describe, expect, it } from 'vitest';
import { toCreateRoomInput, validateRoomForm } from '../../../widget/model/room-form-validation.js';

const valid = { name: '스터디', kind: 'chat' as const, maxUsers: '10', password: '' };

describe('room form validation', () => {
  it('accepts a valid form and builds the request (no password: open room)', () => {
    expect(validateRoomForm(valid)).toEqual({});
    expect(toCreateRoomInput({ ...valid, name: '  스터디  ' })).toEqual({ name: '스터디', kind: 'chat', maxUsers: 10 });
    expect(toCreateRoomInput({ ...valid, password: 'pw' })).toMatchObject({ password: 'pw' });
  });

  it('reports every invalid field with its reason', () => {
    expect(validateRoomForm({ name: '   ', kind: 'chat', maxUsers: '1', password: 'x'.repeat(65) })).toEqual({
      name: 'nameRequired',
      maxUsers: 'maxUsersRange',
      password: 'passwordTooLong',
    });
    expect(validateRoomForm({ ...valid, name: 'a\u0007b' }).name).toBe('nameControl');
    expect(validateRoomForm({ ...valid, name: '가'.repeat(101) }).name).toBe('nameTooLong');
    expect(validateRoomForm({ ...valid, name: '😀'.repeat(100) }).name).toBeUndefined();
    for (const maxUsers of ['', '2.5', '1001', 'abc', '-3']) expect(validateRoomForm({ ...valid, maxUsers }).maxUsers, maxUsers).toBe('maxUsersRange');
    for (const maxUsers of ['2', '1000']) expect(validateRoomForm({ ...valid, maxUsers }).maxUsers).toBeUndefined();
  });
});
