// Roles of a tenant's people: admins manage the tenant, agents work tickets.
export const ROLES = ['admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
