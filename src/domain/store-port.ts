/** The port to the database. Implementations: Kysely over SQLite and over PostgreSQL. */
import type {
  ApiTokenRecord,
  AuditRecord,
  DesiredState,
  PortForwardRecord,
  Role,
  SessionRecord,
  UserRecord,
  VmRecord,
} from './records.js';
import type { VmStatus } from './vm-status.js';

export type NewUser = Pick<UserRecord, 'username' | 'passwordHash' | 'role' | 'vmPasswordSealed'>;
export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'passwordHash'
    | 'role'
    | 'disabled'
    | 'maxVms'
    | 'maxRunningVms'
    | 'vmPasswordSealed'
    | 'vmPasswordVersion'
  >
>;
export type NewVm = Pick<
  VmRecord,
  'id' | 'ownerId' | 'image' | 'distribution' | 'desktop' | 'name'
>;

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;

  createUser(user: NewUser): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(id: string, patch: UserPatch): Promise<void>;
  deleteUser(id: string): Promise<void>;
  countUsers(): Promise<number>;

  createSession(session: Omit<SessionRecord, 'revokedAt' | 'createdAt'>): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  revokeSession(id: string): Promise<void>;
  revokeSessionsOf(userId: string): Promise<void>;

  createApiToken(
    token: Omit<ApiTokenRecord, 'createdAt' | 'lastUsedAt' | 'revokedAt'>,
  ): Promise<ApiTokenRecord>;
  getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>;
  revokeApiToken(userId: string, id: string): Promise<boolean>;
  touchApiToken(id: string): Promise<void>;

  /** Inserts a VM wanting to run, in status `creating`. */
  createVm(vm: NewVm): Promise<VmRecord>;
  getVm(id: string): Promise<VmRecord | undefined>;
  /** Every VM (the reconciler's snapshot), or one owner's. Rows marked deleted included. */
  listVms(ownerId?: string): Promise<VmRecord[]>;
  /** One page of live (not deleted) VMs, oldest first, and how many there are in all. */
  pageVms(page: {
    ownerId?: string;
    limit: number;
    offset: number;
  }): Promise<{ vms: VmRecord[]; total: number }>;
  setDesiredState(id: string, desired: DesiredState, purgeOnDelete?: boolean): Promise<void>;
  /** Records an observed status; returns true when it changed. */
  recordStatus(id: string, status: VmStatus, reason: string | null): Promise<boolean>;
  deleteVm(id: string): Promise<void>;
  countVms(ownerId: string, runningOnly?: boolean): Promise<number>;

  addPortForward(forward: Omit<PortForwardRecord, 'createdAt'>): Promise<void>;
  listPortForwards(vmId: string): Promise<PortForwardRecord[]>;
  listAllPortForwards(): Promise<PortForwardRecord[]>;
  removePortForward(vmId: string, name: string): Promise<boolean>;

  audit(entry: Omit<AuditRecord, 'id' | 'at'>): Promise<void>;
  listAudit(limit: number): Promise<AuditRecord[]>;

  /**
   * Runs `fn` only if no other control plane holds the reconciler lock (PostgreSQL advisory
   * lock; in-process for SQLite, which one server owns). Returns undefined when it is held.
   */
  withReconcilerLock<T>(fn: () => Promise<T>): Promise<T | undefined>;
}

export type { Role };
