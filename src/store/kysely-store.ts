/**
 * The Store on Kysely: one implementation for SQLite (better-sqlite3) and PostgreSQL (pg).
 * Rows are mapped to domain records right here; nothing above the store sees SQL types.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CamelCasePlugin,
  Kysely,
  PostgresDialect,
  type Selectable,
  SqliteDialect,
  sql,
} from 'kysely';
import pg from 'pg';
import type {
  ApiTokenRecord,
  AuditRecord,
  DesiredState,
  PortForwardRecord,
  Role,
  SessionRecord,
  UserRecord,
  VmRecord,
} from '../domain/records.js';
import type { NewUser, NewVm, Store, UserPatch } from '../domain/store-port.js';
import type { VmStatus } from '../domain/vm-status.js';
import { migrateToLatest } from './migrations.js';
import type { Database, UsersTable, VmsTable } from './schema.js';

/** Advisory lock key of the reconciler ("SWIF" in ASCII; fits a 32-bit int exactly). */
const RECONCILER_LOCK_KEY = 0x53574946;

const now = () => new Date().toISOString();

function toUser(row: Selectable<UsersTable>): UserRecord {
  return { ...row, role: row.role as Role, disabled: row.disabled === 1 };
}

function toVm(row: Selectable<VmsTable> & { ownerUsername: string }): VmRecord {
  return {
    ...row,
    desiredState: row.desiredState as DesiredState,
    status: row.status as VmStatus,
    purgeOnDelete: row.purgeOnDelete === 1,
  };
}

export class KyselyStore implements Store {
  private sqliteLockHeld = false;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    const at = now();
    const row = {
      id: randomUUID(),
      ...user,
      disabled: 0,
      maxVms: null,
      maxRunningVms: null,
      vmPasswordVersion: 1,
      createdAt: at,
      updatedAt: at,
    };
    await this.db.insertInto('users').values(row).execute();
    return toUser(row);
  }

  async getUser(id: string) {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByUsername(username: string) {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async listUsers() {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(
      toUser,
    );
  }

  async updateUser(id: string, patch: UserPatch) {
    const { disabled, ...rest } = patch;
    await this.db
      .updateTable('users')
      .set({
        ...rest,
        ...(disabled === undefined ? {} : { disabled: disabled ? 1 : 0 }),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute();
  }

  async deleteUser(id: string) {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  async countUsers() {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createSession(session: Omit<SessionRecord, 'revokedAt' | 'createdAt'>) {
    await this.db
      .insertInto('sessions')
      .values({ ...session, createdAt: now(), revokedAt: null })
      .execute();
  }

  async getSession(id: string) {
    return this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async revokeSession(id: string) {
    await this.db
      .updateTable('sessions')
      .set({ revokedAt: now() })
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .execute();
  }

  async revokeSessionsOf(userId: string) {
    await this.db
      .updateTable('sessions')
      .set({ revokedAt: now() })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .execute();
  }

  async createApiToken(token: Omit<ApiTokenRecord, 'createdAt' | 'lastUsedAt' | 'revokedAt'>) {
    const row = { ...token, createdAt: now(), lastUsedAt: null, revokedAt: null };
    await this.db.insertInto('apiTokens').values(row).execute();
    return row;
  }

  async getApiTokenByHash(tokenHash: string) {
    return this.db
      .selectFrom('apiTokens')
      .selectAll()
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  async listApiTokens(userId: string) {
    return this.db
      .selectFrom('apiTokens')
      .selectAll()
      .where('userId', '=', userId)
      .orderBy('createdAt')
      .execute();
  }

  async revokeApiToken(userId: string, id: string) {
    const result = await this.db
      .updateTable('apiTokens')
      .set({ revokedAt: now() })
      .where('id', '=', id)
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async touchApiToken(id: string) {
    await this.db
      .updateTable('apiTokens')
      .set({ lastUsedAt: now() })
      .where('id', '=', id)
      .execute();
  }

  private vmQuery() {
    return this.db
      .selectFrom('vms')
      .innerJoin('users', 'users.id', 'vms.ownerId')
      .selectAll('vms')
      .select('users.username as ownerUsername');
  }

  async createVm(vm: NewVm) {
    const at = now();
    await this.db
      .insertInto('vms')
      .values({
        ...vm,
        desiredState: 'running',
        status: 'creating',
        reason: null,
        purgeOnDelete: 0,
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    const created = await this.getVm(vm.id);
    if (!created) throw new Error(`VM ${vm.id} vanished after insert`);
    return created;
  }

  async getVm(id: string) {
    const row = await this.vmQuery().where('vms.id', '=', id).executeTakeFirst();
    return row && toVm(row);
  }

  async listVms(ownerId?: string) {
    let query = this.vmQuery().orderBy('vms.createdAt');
    if (ownerId) query = query.where('vms.ownerId', '=', ownerId);
    return (await query.execute()).map(toVm);
  }

  async pageVms(page: { ownerId?: string; limit: number; offset: number }) {
    let rows = this.vmQuery().where('vms.desiredState', '!=', 'deleted');
    let count = this.db
      .selectFrom('vms')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('desiredState', '!=', 'deleted');
    if (page.ownerId) {
      rows = rows.where('vms.ownerId', '=', page.ownerId);
      count = count.where('ownerId', '=', page.ownerId);
    }
    const [list, total] = await Promise.all([
      rows
        .orderBy('vms.createdAt')
        .orderBy('vms.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      count.executeTakeFirstOrThrow(),
    ]);
    return { vms: list.map(toVm), total: Number(total.n) };
  }

  async setDesiredState(id: string, desired: DesiredState, purgeOnDelete?: boolean) {
    await this.db
      .updateTable('vms')
      .set({
        desiredState: desired,
        ...(purgeOnDelete === undefined ? {} : { purgeOnDelete: purgeOnDelete ? 1 : 0 }),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute();
  }

  async recordStatus(id: string, status: VmStatus, reason: string | null) {
    const result = await this.db
      .updateTable('vms')
      .set({ status, reason, updatedAt: now() })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('status', '!=', status),
          reason === null
            ? eb('reason', 'is not', null)
            : eb.or([eb('reason', 'is', null), eb('reason', '!=', reason)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteVm(id: string) {
    await this.db.deleteFrom('vms').where('id', '=', id).execute();
  }

  async countVms(ownerId: string, runningOnly = false) {
    let query = this.db
      .selectFrom('vms')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('ownerId', '=', ownerId)
      .where('desiredState', '!=', 'deleted');
    if (runningOnly) query = query.where('desiredState', '=', 'running');
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  async addPortForward(forward: Omit<PortForwardRecord, 'createdAt'>) {
    await this.db
      .insertInto('portForwards')
      .values({ ...forward, createdAt: now() })
      .execute();
  }

  async listPortForwards(vmId: string) {
    return this.db
      .selectFrom('portForwards')
      .selectAll()
      .where('vmId', '=', vmId)
      .orderBy('name')
      .execute();
  }

  async listAllPortForwards() {
    return this.db.selectFrom('portForwards').selectAll().orderBy('vmId').orderBy('name').execute();
  }

  async removePortForward(vmId: string, name: string) {
    const result = await this.db
      .deleteFrom('portForwards')
      .where('vmId', '=', vmId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async audit(entry: Omit<AuditRecord, 'id' | 'at'>) {
    await this.db
      .insertInto('auditLog')
      .values({ ...entry, at: now(), detail: JSON.stringify(entry.detail) })
      .execute();
  }

  async listAudit(limit: number) {
    const rows = await this.db
      .selectFrom('auditLog')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async withReconcilerLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.dialect === 'sqlite') {
      // One server owns a SQLite file; only overlapping passes inside it need excluding.
      if (this.sqliteLockHeld) return undefined;
      this.sqliteLockHeld = true;
      try {
        return await fn();
      } finally {
        this.sqliteLockHeld = false;
      }
    }
    return this.db.connection().execute(async (connection) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_lock(${RECONCILER_LOCK_KEY}) as locked`.execute(connection);
      if (!rows[0]?.locked) return undefined;
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(${RECONCILER_LOCK_KEY})`.execute(connection);
      }
    });
  }
}

/** Opens (and migrates) PostgreSQL when a URL is given, else the SQLite file. */
export async function openStore(options: {
  databaseUrl?: string;
  sqliteFile: string;
}): Promise<Store> {
  if (options.databaseUrl) {
    const base = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: options.databaseUrl, max: 10 }),
      }),
    });
    await migrateToLatest(base as Kysely<unknown>, 'postgres');
    return new KyselyStore(base.withPlugin(new CamelCasePlugin()), 'postgres');
  }
  mkdirSync(dirname(options.sqliteFile), { recursive: true });
  const database = new SqliteDatabase(options.sqliteFile);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const base = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await migrateToLatest(base as Kysely<unknown>, 'sqlite');
  return new KyselyStore(base.withPlugin(new CamelCasePlugin()), 'sqlite');
}
