// What the use cases need from the outside world; infra/ implements these with Prisma, argon2 and jose.
import type { CatalogEventOf } from '@helpdesk/contracts';
import type { Role } from '../domain/role';
import type { PagePosition } from '../domain/page-cursor';

export interface Tenant {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  createdAt: Date;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  handle: string;
  timezone: string;
  active: boolean;
  createdAt: Date;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}

export interface Team {
  id: string;
  tenantId: string;
  name: string;
  memberIds: string[];
  createdAt: Date;
}

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface PageQuery {
  limit: number;
  after?: PagePosition;
}

export interface Page<T> {
  items: T[];
  /** Set when more items follow. */
  next?: PagePosition;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  handle?: string;
  timezone?: string;
  active?: boolean;
  passwordHash?: string;
}

export interface TenantPatch {
  name?: string;
  slug?: string;
  timezone?: string;
}

export interface TenantRepository {
  create(tenant: Tenant): Promise<Tenant>;
  findById(id: string): Promise<Tenant | undefined>;
  /** `slug` is already lowercased. */
  findBySlug(slug: string): Promise<Tenant | undefined>;
  /** Slugs equal to `base` or starting with `base-`. */
  slugsStartingWith(base: string): Promise<string[]>;
  slugTaken(slug: string, exceptTenantId?: string): Promise<boolean>;
  update(id: string, patch: TenantPatch): Promise<Tenant>;
  findOldestByName(name: string): Promise<Tenant | undefined>;
  /** Holds the tenant's row lock until the transaction ends (serializes admin-count checks). */
  lock(id: string): Promise<boolean>;
}

export interface UserRepository {
  create(user: UserWithPassword): Promise<User>;
  findById(tenantId: string, id: string): Promise<User | undefined>;
  /** Across tenants: sign-in names no tenant. `email` is already normalized. */
  findByEmailForSignIn(email: string): Promise<UserWithPassword | undefined>;
  emailExists(email: string): Promise<boolean>;
  /** Handles of the tenant equal to `base` or starting with it. */
  handlesStartingWith(tenantId: string, base: string): Promise<string[]>;
  handleTaken(tenantId: string, handle: string, exceptUserId?: string): Promise<boolean>;
  update(tenantId: string, id: string, patch: UserPatch): Promise<User>;
  countActiveAdmins(tenantId: string): Promise<number>;
  /** The ids among `ids` that are users of the tenant. */
  existingIds(tenantId: string, ids: string[]): Promise<string[]>;
  list(tenantId: string, page: PageQuery): Promise<Page<User>>;
}

export interface TeamRepository {
  create(team: Team): Promise<Team>;
  nameTaken(tenantId: string, name: string): Promise<boolean>;
  findById(tenantId: string, id: string): Promise<Team | undefined>;
  list(tenantId: string, page: PageQuery): Promise<Page<Team>>;
}

export interface ApiKeyRepository {
  create(key: ApiKey, secretHash: string): Promise<ApiKey>;
  findById(tenantId: string, id: string): Promise<ApiKey | undefined>;
  findBySecretHash(secretHash: string): Promise<ApiKey | undefined>;
  revoke(tenantId: string, id: string, at: Date): Promise<ApiKey>;
  markUsed(id: string, at: Date): Promise<void>;
  list(tenantId: string, page: PageQuery): Promise<Page<ApiKey>>;
}

/** A fact to publish (a catalog event of identity's); infra wraps it in the envelope (id, occurredAt, traceparent). */
export type DomainEvent = CatalogEventOf<'identity'> & { tenantId: string };

export interface EventOutbox {
  /** Stores the event in the current transaction; it is published after commit. */
  add(event: DomainEvent): Promise<void>;
}

export interface Repositories {
  tenants: TenantRepository;
  users: UserRepository;
  teams: TeamRepository;
  apiKeys: ApiKeyRepository;
}

export interface TransactionScope extends Repositories {
  events: EventOutbox;
}

export interface UnitOfWork {
  /** Repositories outside any transaction, for reads. */
  readonly read: Repositories;
  /** Runs `work` in one database transaction; events it adds are published once it commits. */
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the time of a verify when there is no user, so response time does not reveal unknown e-mails. */
  verifyAgainstDummy(password: string): Promise<void>;
}

export interface AgentTokenClaims {
  userId: string;
  tenantId: string;
  role: Role;
}

export interface TokenIssuer {
  issue(claims: AgentTokenClaims): Promise<{ token: string; expiresAt: Date }>;
}

export interface Clock {
  now(): Date;
}
