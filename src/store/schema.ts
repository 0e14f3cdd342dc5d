/** Table shapes as Kysely sees them (camelCase here, snake_case in the database). */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  passwordHash: string;
  role: string;
  disabled: number;
  maxVms: number | null;
  maxRunningVms: number | null;
  vmPasswordSealed: string;
  vmPasswordVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface SessionsTable {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface ApiTokensTable {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface VmsTable {
  id: string;
  ownerId: string;
  image: string;
  distribution: string | null;
  desktop: string | null;
  name: string | null;
  desiredState: string;
  status: string;
  reason: string | null;
  purgeOnDelete: number;
  createdAt: string;
  updatedAt: string;
}

export interface PortForwardsTable {
  vmId: string;
  name: string;
  port: number;
  createdAt: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  detail: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  vms: VmsTable;
  portForwards: PortForwardsTable;
  auditLog: AuditLogTable;
}
