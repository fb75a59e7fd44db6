import type { identityV1 } from '@helpdesk/contracts';
import { isoOrNull } from '../../../app/rest-values';
import type { z } from 'zod';
import type { apiKeySchema } from '../schemas/api-key.schema';
import type { teamSchema } from '../schemas/team.schema';
import type { tenantSchema } from '../schemas/tenant.schema';
import type { updateUserBodySchema, userSchema } from '../schemas/user.schema';

export type TenantDto = z.input<typeof tenantSchema>;

export type UserDto = z.input<typeof userSchema>;

export type TeamDto = z.input<typeof teamSchema>;

/** An API key's public part; the secret is never shown again after creation. */
export type ApiKeyDto = z.input<typeof apiKeySchema>;

export const toTenantDto = (t: identityV1.Tenant): TenantDto => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  timezone: t.timezone,
  createdAt: isoOrNull(t.createdAt),
});

export const toUserDto = (u: identityV1.User): UserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  handle: u.handle,
  timezone: u.timezone,
  active: u.active,
  createdAt: isoOrNull(u.createdAt),
});

export const toTeamDto = (t: identityV1.Team): TeamDto => ({
  id: t.id,
  name: t.name,
  memberIds: [...t.memberIds],
  createdAt: isoOrNull(t.createdAt),
});

export const toApiKeyDto = (k: identityV1.ApiKey): ApiKeyDto => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: isoOrNull(k.createdAt),
  revokedAt: isoOrNull(k.revokedAt),
  lastUsedAt: isoOrNull(k.lastUsedAt),
});

export type UserPatch = z.output<typeof updateUserBodySchema>;

// Only the fields present in the PATCH body are sent, so that the service leaves the others as they are.
export function toUpdateUserRequest(
  tenantId: string,
  id: string,
  patch: UserPatch,
): identityV1.UpdateUserRequest {
  const request: identityV1.UpdateUserRequest = { tenantId, id };
  if (patch.name !== undefined) request.name = patch.name;
  if (patch.role !== undefined) request.role = patch.role;
  if (patch.handle !== undefined) request.handle = patch.handle;
  if (patch.timezone !== undefined) request.timezone = patch.timezone;
  if (patch.active !== undefined) request.active = patch.active;
  if (patch.password !== undefined) request.password = patch.password;
  return request;
}
