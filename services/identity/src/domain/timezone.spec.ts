import { canonicalTimeZone } from './timezone';

describe('canonicalTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['america/new_york', 'America/New_York'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('accepts %s', (zone, canonical) => {
    expect(canonicalTimeZone(zone)).toBe(canonical);
  });

  it.each(['', 'Mars/Olympus', '+01:00', 'Europe/', 'GMT+1 ', 'Not a zone'])('rejects %j', (zone) => {
    expect(canonicalTimeZone(zone)).toBeUndefined();
  });
});
