import { describe, expect, it } from 'vitest';
import { checkDatabaseUrl, openDatabase, redactDatabaseUrl } from '../../../backend/db/database.js';

describe('checkDatabaseUrl', () => {
  it.each([
    'sqlite:./data/parley.sqlite',
    'sqlite:/var/lib/parley/parley.sqlite',
    'sqlite:///var/lib/parley/parley.sqlite',
    'sqlite::memory:',
    'mysql://root@127.0.0.1:3306/test',
    'mysql://parley:s%40cret@db.internal/parley',
    'mariadb://parley:pw@[::1]:3307/parley',
  ])('accepts %s', (url) => {
    expect(checkDatabaseUrl(url)).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['sqlite:', /names no file/],
    ['postgres://u:p@h/db', /Unsupported database scheme 'postgres:'/],
    ['./parley.sqlite', /no scheme/],
    ['mysql://root@127.0.0.1:3306/', /names no database/],
    ['mysql://root@127.0.0.1:99999/db', /malformed|invalid port/],
    ['mysql://127.0.0.1/db', /names no user/],
  ])('rejects %j with a message', (url, message) => {
    expect(checkDatabaseUrl(url)).toMatch(message);
  });

  it('never repeats the password in its message', () => {
    expect(checkDatabaseUrl('mysql://root:topsecret@127.0.0.1:3306/')).not.toContain('topsecret');
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactDatabaseUrl('mysql://parley:s3cret@db:3306/parley')).toBe('mysql://parley:***@db:3306/parley');
    expect(redactDatabaseUrl('mysql://root@db/parley')).toBe('mysql://root@db/parley');
    expect(redactDatabaseUrl('sqlite:./data/parley.sqlite')).toBe('sqlite:./data/parley.sqlite');
  });
});

describe('openDatabase with a bad URL', () => {
  it('rejects with a TypeError before connecting', async () => {
    await expect(openDatabase('postgres://u@h/db')).rejects.toBeInstanceOf(TypeError);
  });
});
