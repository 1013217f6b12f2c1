import type { TestServer } from './server.js';

/** UTC text as the repository stores it (see backend/db/row-values.ts). */
function storedDate(date: Date, dialect: 'sqlite' | 'mysql'): string {
  const iso = date.toISOString().replace('T', ' ').replace('Z', '');
  return dialect === 'sqlite' ? `${iso} +00:00` : iso;
}

/**
 * Writes `count` text messages straight into a room's table (seq 1…count), in one transaction —
 * thousands per second, where sending them would take minutes. Senders rotate every `run`
 * messages among `senders`; times start at `startAt` and advance by `stepMs`.
 * Call it before anyone sends to the room (the server reads the last seq lazily).
 */
export async function seedMessages(
  server: TestServer,
  roomId: number,
  count: number,
  options: { senders?: string[]; run?: number; startAt?: Date; stepMs?: number; text?: (seq: number) => string } = {},
): Promise<void> {
  const senders = options.senders ?? ['민수', 'Alex', '지아'];
  const run = options.run ?? 3;
  const start = (options.startAt ?? new Date(Date.now() - count * (options.stepMs ?? 60_000))).getTime();
  const step = options.stepMs ?? 60_000;
  const text = options.text ?? ((seq: number) => `message ${seq}`);
  const { sequelize, dialect } = server.database;
  const BATCH = 500;
  await sequelize.transaction(async (transaction) => {
    for (let first = 1; first <= count; first += BATCH) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let seq = first; seq < Math.min(first + BATCH, count + 1); seq++) {
        const nick = senders[Math.floor((seq - 1) / run) % senders.length]!;
        rows.push('(?, ?, ?, ?, ?, ?, ?, ?)');
        values.push(roomId, seq, 'text', `u_seed_${nick}`, nick, text(seq), null, storedDate(new Date(start + (seq - 1) * step), dialect));
      }
      await sequelize.query(
        `INSERT INTO message (room_id, seq, type, sender_id, sender_nickname, text, client_msg_id, created_at) VALUES ${rows.join(', ')}`,
        { replacements: values, transaction },
      );
    }
  });
}
