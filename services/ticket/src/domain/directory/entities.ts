import type { PortalAccess } from './directory-rules';

/** A customer company of the MSP (docs/product/tenants-and-users.md). */
export interface Client {
  id: string;
  tenantId: string;
  name: string;
  /** Normalized (lower-case), unique per tenant across clients. */
  domains: string[];
  slaPolicyId: string | null;
  notes: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A person at a client (docs/product/tenants-and-users.md). The portal password hash never leaves the repository. */
export interface Contact {
  id: string;
  tenantId: string;
  name: string;
  /** Normalized (lower-case), unique per tenant. */
  email: string;
  phone: string | null;
  clientId: string | null;
  portalAccess: PortalAccess;
  hasPortalPassword: boolean;
  /** Mail to this address bounced (a delivery report came back) since the mark was last cleared. */
  emailBouncing: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** What a page of a name-ordered list continues after. */
export interface NameCursor {
  /** sortKey(name) of the last item. */
  name: string;
  id: string;
}
