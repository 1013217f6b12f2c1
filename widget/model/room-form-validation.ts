import type { CreateRoomInput, RoomKind } from '../../sdk/index.js';

/** What the create-room form holds, as typed. */
export interface RoomFormValues {
  name: string;
  kind: RoomKind;
  maxUsers: string;
  password: string;
}

/** Why a field is invalid; each maps to a translation key. */
export type RoomFormError = 'nameRequired' | 'nameTooLong' | 'nameControl' | 'maxUsersRange' | 'passwordTooLong';

/** Invalid fields and their reason; empty when the form can be sent. */
export type RoomFormErrors = Partial<Record<keyof RoomFormValues, RoomFormError>>;

/** Limits of `POST /api/rooms` (docs/protocol.md §3). */
export const ROOM_LIMITS = { nameMax: 100, minUsers: 2, maxUsers: 1000, passwordMax: 64 } as const;

// Control characters are refused by the server for names (C0, DEL, C1).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Length in Unicode code points, as the server counts. */
export function codePoints(text: string): number {
  return [...text].length;
}

/** Checks the form as the server would, so the user sees every problem before sending. */
export function validateRoomForm(values: RoomFormValues): RoomFormErrors {
  const errors: RoomFormErrors = {};
  const name = values.name.trim();
  if (name === '') errors.name = 'nameRequired';
  else if (codePoints(name) > ROOM_LIMITS.nameMax) errors.name = 'nameTooLong';
  else if (CONTROL.test(name)) errors.name = 'nameControl';
  const max = Number(values.maxUsers);
  if (values.maxUsers.trim() === '' || !Number.isInteger(max) || max < ROOM_LIMITS.minUsers || max > ROOM_LIMITS.maxUsers) {
    errors.maxUsers = 'maxUsersRange';
  }
  if (codePoints(values.password) > ROOM_LIMITS.passwordMax) errors.password = 'passwordTooLong';
  return errors;
}

/** The request body for valid values (an empty password means an open room). */
export function toCreateRoomInput(values: RoomFormValues): CreateRoomInput {
  const input: CreateRoomInput = { name: values.name.trim(), kind: values.kind, maxUsers: Number(values.maxUsers) };
  if (values.password !== '') input.password = values.password;
  return input;
}
