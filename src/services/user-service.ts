/** Users (admin-managed, optional open sign-up), the VM password, and the first admin. */
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import { generateVmPassword, type SecretBox } from '../auth/secret-box.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../domain/errors.js';
import { isUsername } from '../domain/identifiers.js';
import type { Role, UserRecord } from '../domain/records.js';
import type { Store, UserPatch } from '../domain/store-port.js';
import type { Actor } from './auth-service.js';

export interface UserView {
  username: string;
  role: Role;
  disabled: boolean;
  maxVms: number | null;
  maxRunningVms: number | null;
  createdAt: string;
}

export function userView(user: UserRecord): UserView {
  return {
    username: user.username,
    role: user.role,
    disabled: user.disabled,
    maxVms: user.maxVms,
    maxRunningVms: user.maxRunningVms,
    createdAt: user.createdAt,
  };
}

function requireAdmin(actor: Actor): void {
  if (actor.user.role !== 'admin') throw new ForbiddenError('only administrators can do this');
}

function checkCredentials(username: string, password: string): void {
  const problems = [];
  if (!isUsername(username))
    problems.push({
      field: 'username',
      detail: `"${username}" must be 3-32 characters of a-z, 0-9 and -, starting with a letter`,
    });
  if (password.length < 8)
    problems.push({ field: 'password', detail: 'must be at least 8 characters' });
  if (problems.length) throw new ValidationError('invalid user', problems);
}

export class UserService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly onVmPasswordChange: () => void,
  ) {}

  private async create(username: string, password: string, role: Role): Promise<UserRecord> {
    checkCredentials(username, password);
    if (await this.store.getUserByUsername(username))
      throw new ConflictError(`user ${username} already exists`);
    return this.store.createUser({
      username,
      role,
      passwordHash: await hashPassword(password),
      vmPasswordSealed: this.box.seal(generateVmPassword()),
    });
  }

  /** On an empty database: creates `admin`, with the configured password or a generated one (returned once). */
  async bootstrapAdmin(
    configured: string | undefined,
  ): Promise<{ username: string; generatedPassword?: string } | undefined> {
    if ((await this.store.countUsers()) > 0) return undefined;
    const password = configured ?? generateVmPassword();
    await this.create('admin', password, 'admin');
    await this.store.audit({
      actor: null,
      action: 'user.bootstrap_admin',
      target: 'admin',
      detail: {},
    });
    return configured ? { username: 'admin' } : { username: 'admin', generatedPassword: password };
  }

  async createUser(
    actor: Actor,
    input: { username: string; password: string; role?: Role },
  ): Promise<UserView> {
    requireAdmin(actor);
    const user = await this.create(input.username, input.password, input.role ?? 'user');
    await this.store.audit({
      actor: actor.user.username,
      action: 'user.create',
      target: user.username,
      detail: { role: user.role },
    });
    return userView(user);
  }

  async signUp(input: { username: string; password: string }): Promise<UserView> {
    const user = await this.create(input.username, input.password, 'user');
    await this.store.audit({
      actor: user.username,
      action: 'user.signup',
      target: user.username,
      detail: {},
    });
    return userView(user);
  }

  async listUsers(actor: Actor): Promise<UserView[]> {
    requireAdmin(actor);
    return (await this.store.listUsers()).map(userView);
  }

  private async byName(username: string): Promise<UserRecord> {
    const user = await this.store.getUserByUsername(username);
    if (!user) throw new NotFoundError(`no user ${username}`);
    return user;
  }

  async updateUser(
    actor: Actor,
    username: string,
    patch: Pick<UserPatch, 'role' | 'disabled' | 'maxVms' | 'maxRunningVms'> & {
      password?: string;
    },
  ): Promise<UserView> {
    requireAdmin(actor);
    const user = await this.byName(username);
    if (user.id === actor.user.id && (patch.disabled || patch.role === 'user'))
      throw new ConflictError('you cannot disable or demote yourself');
    const { password, ...rest } = patch;
    if (password !== undefined) checkCredentials(username, password);
    await this.store.updateUser(user.id, {
      ...rest,
      ...(password ? { passwordHash: await hashPassword(password) } : {}),
    });
    if (patch.disabled || password) await this.store.revokeSessionsOf(user.id);
    await this.store.audit({
      actor: actor.user.username,
      action: 'user.update',
      target: username,
      detail: { ...rest, passwordChanged: password !== undefined },
    });
    return userView((await this.store.getUser(user.id)) as UserRecord);
  }

  async deleteUser(actor: Actor, username: string): Promise<void> {
    requireAdmin(actor);
    const user = await this.byName(username);
    if (user.id === actor.user.id) throw new ConflictError('you cannot delete yourself');
    if ((await this.store.listVms(user.id)).length > 0)
      throw new ConflictError(`${username} still has VMs; delete them first`);
    await this.store.deleteUser(user.id);
    await this.store.audit({
      actor: actor.user.username,
      action: 'user.delete',
      target: username,
      detail: {},
    });
  }

  /** The VM password, after the owner re-enters their login password. */
  async revealVmPassword(actor: Actor, loginPassword: string): Promise<string> {
    if (!(await verifyPassword(loginPassword, actor.user.passwordHash)))
      throw new UnauthenticatedError('wrong password');
    await this.store.audit({
      actor: actor.user.username,
      action: 'vm_password.reveal',
      target: actor.user.username,
      detail: {},
    });
    return this.box.open(actor.user.vmPasswordSealed);
  }

  /** A new VM password; running VMs get it on their next update (new secret version). */
  async rotateVmPassword(actor: Actor): Promise<void> {
    const fresh = await this.store.getUser(actor.user.id);
    if (!fresh) throw new NotFoundError('user vanished');
    await this.store.updateUser(fresh.id, {
      vmPasswordSealed: this.box.seal(generateVmPassword()),
      vmPasswordVersion: fresh.vmPasswordVersion + 1,
    });
    await this.store.audit({
      actor: actor.user.username,
      action: 'vm_password.rotate',
      target: actor.user.username,
      detail: { version: fresh.vmPasswordVersion + 1 },
    });
    this.onVmPasswordChange();
  }
}
