// IANA zone names only: Intl also accepts offsets such as "+01:00", which are not zones (no DST rules).
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/** The canonical spelling of an IANA time zone, or undefined when it is not one. */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!ZONE_NAME.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
