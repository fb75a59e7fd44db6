// E-mail is the sign-in name and unique across the platform regardless of case.
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
