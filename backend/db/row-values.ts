/**
 * Conversions between JS values and what each dialect stores or returns, shared by the
 * repositories. SQLite hands back DATETIME columns as text and MySQL hands back BIGINT
 * columns as numbers or strings, so every read goes through these before it reaches a record.
 */

export type Dialect = 'sqlite' | 'mysql';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A UTC timestamp in the text form the dialect stores: `YYYY-MM-DD HH:mm:ss.SSS` for MySQL
 * DATETIME(3), plus ` +00:00` for SQLite (the exact form Sequelize itself writes there, so rows
 * written by models and by raw statements sort and parse alike).
 */
export function formatDate(date: Date, dialect: Dialect): string {
  const text =
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
  return dialect === 'sqlite' ? `${text} +00:00` : text;
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads a stored timestamp. Text without a zone (legacy rows, MySQL) is taken as UTC, since
 * every connection runs with time zone +00:00.
 */
export function parseDate(value: unknown, column: string): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`Column ${column} holds an invalid date`);
    return value;
  }
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    const m = DATE_TEXT.exec(value.trim());
    if (m) {
      const [, y, mo, d, h, mi, s, frac, zone] = m;
      const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
      let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
      if (zone !== undefined && zone.toUpperCase() !== 'Z') {
        const sign = zone.startsWith('-') ? -1 : 1;
        const digits = zone.slice(1).replace(':', '');
        time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
      }
      return new Date(time);
    }
  }
  throw new TypeError(`Column ${column} holds an unreadable date: ${String(value)}`);
}

export function parseNullableDate(value: unknown, column: string): Date | null {
  return value === null || value === undefined ? null : parseDate(value, column);
}

/** An integer column as a JS number; MySQL may return BIGINT as a string. */
export function parseInteger(value: unknown, column: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' || typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new TypeError(`Column ${column} holds a non-integer or unsafe value: ${String(value)}`);
  return n;
}

export function parseNullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Drops the milliseconds: DATETIME columns without a fraction keep whole seconds only. */
export function truncateToSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** Length in characters as MySQL counts them for VARCHAR(n) (code points, not UTF-16 units). */
export function charLength(text: string): number {
  return Array.from(text).length;
}
