/** What the platform remembers: users, sessions, tokens, VMs (desired + observed), audit. */
import type { VmStatus } from './vm-status.js';

export type Role = 'admin' | 'user';

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  disabled: boolean;
  /** Per-user quota overrides; null uses the platform defaults. */
  maxVms: number | null;
  maxRunningVms: number | null;
  /** The VM password, sealed with the platform key (never stored in clear). */
  vmPasswordSealed: string;
  vmPasswordVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  /** sha256 of the cookie value; the value itself is never stored. */
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  /** sha256 of the token. */
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What the user asked for; the reconciler makes Swarm match it. */
export type DesiredState = 'running' | 'stopped' | 'deleted';

export interface VmRecord {
  id: string;
  ownerId: string;
  ownerUsername: string;
  /** Catalog entry name. */
  image: string;
  distribution: string | null;
  desktop: string | null;
  name: string | null;
  desiredState: DesiredState;
  status: VmStatus;
  reason: string | null;
  purgeOnDelete: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PortForwardRecord {
  vmId: string;
  name: string;
  port: number;
  createdAt: string;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}
