import { describe, expect, it } from 'vitest';
import { parseConnectionString } from './parseConnectionString';

describe('parseConnectionString', () => {
  it('should read host, port, user, password and database from a PostgreSQL URL', () => {
    expect(
      parseConnectionString('pg', 'postgresql://me:p%40ss@db.example.com:6543/app', 'key'),
    ).toEqual({
      host: 'db.example.com',
      port: 6543,
      user: 'me',
      password: 'p@ss',
      database: 'app',
    });
  });

  it('should read sslmode the way libpq does and keep other parameters as options', () => {
    expect(
      parseConnectionString('pg', 'postgres://h/db?sslmode=no-verify&application_name=x', 'key'),
    ).toEqual({
      host: 'h',
      database: 'db',
      ssl: { rejectUnauthorized: false },
      application_name: 'x',
    });
    expect(parseConnectionString('pg', 'postgres://h?sslmode=require', 'key').ssl).toBe(true);
    expect(parseConnectionString('pg', 'postgres://h?sslmode=disable', 'key').ssl).toBe(false);
  });

  it('should turn numbers and booleans in MySQL URL parameters into values', () => {
    expect(
      parseConnectionString(
        'mysql',
        'mysql://root@[::1]:3307/app?connectTimeout=5000&debug=false',
        'key',
      ),
    ).toEqual({
      host: '::1',
      port: 3307,
      user: 'root',
      database: 'app',
      connectTimeout: 5000,
      debug: false,
    });
  });
});
