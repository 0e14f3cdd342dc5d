/** The behaviour every Store must have; runs on SQLite (unit) and PostgreSQL (integration). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/domain/store-port.js';

export function describeStoreContract(name: string, open: () => Promise<Store>) {
  describe(`Store contract: ${name}`, () => {
    const user = (store: Store, username = `u${randomUUID().slice(0, 8)}`) =>
      store.createUser({
        username,
        passwordHash: 'scrypt$x',
        role: 'user',
        vmPasswordSealed: 'v1.sealed',
      });
    const vmId = () => `vm${randomUUID().replace(/-/g, '').slice(0, 12)}`;

    it('creates, finds, updates and deletes users; usernames are unique', async () => {
      const store = await open();
      const alice = await user(store);
      expect(await store.getUserByUsername(alice.username)).toEqual(alice);
      expect(await store.getUser(alice.id)).toEqual(alice);
      await expect(user(store, alice.username)).rejects.toThrow();
      await store.updateUser(alice.id, {
        disabled: true,
        role: 'admin',
        maxVms: 3,
        vmPasswordVersion: 2,
      });
      expect(await store.getUser(alice.id)).toMatchObject({
        disabled: true,
        role: 'admin',
        maxVms: 3,
        maxRunningVms: null,
        vmPasswordVersion: 2,
      });
      expect((await store.listUsers()).some((u) => u.id === alice.id)).toBe(true);
      await store.deleteUser(alice.id);
      expect(await store.getUser(alice.id)).toBeUndefined();
      await store.close();
    });

    it('keeps sessions until revoked, per session or per user', async () => {
      const store = await open();
      const alice = await user(store);
      const expiresAt = new Date(Date.now() + 3600_000).toISOString();
      // The PostgreSQL database outlives a run, so every id is fresh.
      const [h1, h2] = [randomUUID(), randomUUID()];
      await store.createSession({ id: h1, userId: alice.id, expiresAt });
      await store.createSession({ id: h2, userId: alice.id, expiresAt });
      expect(await store.getSession(h1)).toMatchObject({ userId: alice.id, revokedAt: null });
      await store.revokeSession(h1);
      expect((await store.getSession(h1))?.revokedAt).not.toBeNull();
      await store.revokeSessionsOf(alice.id);
      expect((await store.getSession(h2))?.revokedAt).not.toBeNull();
      await store.close();
    });

    it("stores API tokens by hash and revokes only the owner's", async () => {
      const store = await open();
      const alice = await user(store);
      const bob = await user(store);
      const token = await store.createApiToken({
        id: randomUUID(),
        userId: alice.id,
        name: 'cli',
        tokenHash: `hash-${randomUUID()}`,
      });
      expect(await store.getApiTokenByHash(token.tokenHash)).toMatchObject({
        id: token.id,
        revokedAt: null,
      });
      expect(await store.revokeApiToken(bob.id, token.id)).toBe(false);
      expect(await store.revokeApiToken(alice.id, token.id)).toBe(true);
      expect((await store.listApiTokens(alice.id))[0]?.revokedAt).not.toBeNull();
      await store.close();
    });

    it('tracks VMs: desired state, observed status changes, counts, owner join', async () => {
      const store = await open();
      const alice = await user(store);
      const id = vmId();
      const vm = await store.createVm({
        id,
        ownerId: alice.id,
        image: 'code-server',
        distribution: null,
        desktop: null,
        name: 'ide',
      });
      expect(vm).toMatchObject({
        id,
        ownerUsername: alice.username,
        desiredState: 'running',
        status: 'creating',
        reason: null,
        purgeOnDelete: false,
      });
      expect(await store.recordStatus(id, 'running', null)).toBe(true);
      expect(await store.recordStatus(id, 'running', null)).toBe(false);
      expect(await store.recordStatus(id, 'error', 'image not found')).toBe(true);
      expect(await store.recordStatus(id, 'error', 'image not found')).toBe(false);
      expect(await store.recordStatus(id, 'error', 'other')).toBe(true);
      expect(await store.countVms(alice.id)).toBe(1);
      expect(await store.countVms(alice.id, true)).toBe(1);
      await store.setDesiredState(id, 'stopped');
      expect(await store.countVms(alice.id, true)).toBe(0);
      await store.setDesiredState(id, 'deleted', true);
      expect(await store.getVm(id)).toMatchObject({ desiredState: 'deleted', purgeOnDelete: true });
      expect(await store.countVms(alice.id)).toBe(0);
      expect((await store.listVms(alice.id)).map((v) => v.id)).toEqual([id]);
      await store.deleteVm(id);
      expect(await store.getVm(id)).toBeUndefined();
      await store.close();
    });

    it('pages live VMs in a stable order with their total', async () => {
      const store = await open();
      const alice = await user(store);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = vmId();
        ids.push(id);
        await store.createVm({
          id,
          ownerId: alice.id,
          image: 'x',
          distribution: null,
          desktop: null,
          name: null,
        });
      }
      await store.setDesiredState(ids[4] ?? '', 'deleted');
      const first = await store.pageVms({ ownerId: alice.id, limit: 3, offset: 0 });
      const second = await store.pageVms({ ownerId: alice.id, limit: 3, offset: 3 });
      expect(first.total).toBe(4);
      expect([...first.vms, ...second.vms].map((v) => v.id).sort()).toEqual(ids.slice(0, 4).sort());
      expect(second.vms).toHaveLength(1);
      await store.close();
    });

    it('keeps port forwards per VM and drops them with the VM', async () => {
      const store = await open();
      const alice = await user(store);
      const id = vmId();
      await store.createVm({
        id,
        ownerId: alice.id,
        image: 'x',
        distribution: null,
        desktop: null,
        name: null,
      });
      await store.addPortForward({ vmId: id, name: 'blog', port: 4000 });
      await expect(store.addPortForward({ vmId: id, name: 'blog', port: 4001 })).rejects.toThrow();
      expect(await store.listPortForwards(id)).toEqual([
        expect.objectContaining({ name: 'blog', port: 4000 }),
      ]);
      await store.deleteVm(id);
      expect(await store.listPortForwards(id)).toEqual([]);
      expect(await store.removePortForward(id, 'blog')).toBe(false);
      await store.close();
    });

    it('writes an audit log, newest first', async () => {
      const store = await open();
      await store.audit({
        actor: 'admin',
        action: 'user.create',
        target: 'alice',
        detail: { role: 'user' },
      });
      await store.audit({ actor: 'alice', action: 'vm.create', target: 'vm1', detail: {} });
      const [latest, previous] = await store.listAudit(2);
      expect(latest).toMatchObject({ actor: 'alice', action: 'vm.create' });
      expect(previous).toMatchObject({ action: 'user.create', detail: { role: 'user' } });
      await store.close();
    });

    it('lets one reconciler at a time hold the lock', async () => {
      const store = await open();
      const other = await open();
      let release: () => void = () => {};
      const held = store.withReconcilerLock(
        () =>
          new Promise<string>((r) => {
            release = () => r('first');
          }),
      );
      await new Promise((r) => setTimeout(r, 50));
      // SQLite: one server per file, so a second handle is a separate process's view; only
      // the same handle excludes. PostgreSQL: the advisory lock excludes across connections.
      const contender = store.dialect === 'postgres' ? other : store;
      expect(await contender.withReconcilerLock(async () => 'second')).toBeUndefined();
      release();
      expect(await held).toBe('first');
      expect(await contender.withReconcilerLock(async () => 'third')).toBe('third');
      await store.close();
      await other.close();
    });
  });
}
