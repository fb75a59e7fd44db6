import { databaseName, withDatabase } from './database';

describe('database URLs', () => {
  it('reads and replaces the database name', () => {
    const url = 'postgresql://postgres@127.0.0.1:5432/helpdesk_ticket?sslmode=disable';
    expect(databaseName(url)).toBe('helpdesk_ticket');
    expect(withDatabase(url, 'other')).toBe('postgresql://postgres@127.0.0.1:5432/other?sslmode=disable');
  });

  it('refuses names that would need quoting', () => {
    expect(() => databaseName('postgresql://h/x";drop')).toThrow(/Unsupported database name/);
  });
});
