/**
 * Two control planes on one fresh PostgreSQL database, as `replicas: 2` runs them: VMs created
 * through either are created once (the reconciler lock), and when one server dies the other
 * keeps reconciling.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { engineAvailable, engineRequest, waitFor } from '../support/engine.js';
import { postgresAvailable, TEST_DATABASE_URL } from '../support/postgres.js';
import { ApiClient, type ServerProcess, startServer } from '../support/server-process.js';

const available = (await engineAvailable()) && (await postgresAvailable());

describe.skipIf(!available)('two control planes on PostgreSQL', () => {
  const database = `swiftor_ha_${randomBytes(4).toString('hex')}`;
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  const vmIds: string[] = [];

  afterAll(async () => {
    for (const id of vmIds) await engineRequest('DELETE', `/services/vm-${id}`);
    for (const server of servers) await server.kill();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop database if exists ${database} with (force)`);
    await client.end();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('creates each VM once whichever server is asked, and survives losing one server', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`create database ${database}`);
    await client.end();
    const url = TEST_DATABASE_URL.replace(/\/[^/]*$/, `/${database}`);
    const storage = await mkdtemp(join(tmpdir(), 'swiftor-ha-storage-'));
    dirs.push(storage);
    const env = {
      DATABASE_URL: url,
      SWIFTOR_STORAGE_ROOT: storage,
      SWIFTOR_MAX_VMS: '20',
      SWIFTOR_MAX_RUNNING_VMS: '20',
      SWIFTOR_RECONCILE_INTERVAL: '1',
    };
    for (let i = 0; i < 2; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'swiftor-ha-'));
      dirs.push(dir);
      // Both servers must seal VM passwords with the same key, as the shared Swarm secret gives them.
      servers.push(
        await startServer(dir, {
          ...env,
          SWIFTOR_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
        }),
      );
    }
    const [a, b] = servers.map((s) => new ApiClient(s.url));
    if (!a || !b) throw new Error('two servers expected');
    await a.login('admin', 'admin-password');
    await b.login('admin', 'admin-password');

    const created = await Promise.all(
      [...Array(3)].flatMap(() => [
        a.call<{ id: string }>('POST', '/api/v1/vms', { image: 'httpd' }),
        b.call<{ id: string }>('POST', '/api/v1/vms', { image: 'httpd' }),
      ]),
    );
    vmIds.push(...created.map((r) => r.body.id));
    expect(created.map((r) => r.status)).toEqual(Array(6).fill(202));
    const allRunning = async (api: ApiClient) =>
      waitFor(
        'all VMs running',
        async () => {
          const { body } = await api.call<{ id: string; status: string }[]>('GET', '/api/v1/vms');
          return vmIds.every((id) => body.find((vm) => vm.id === id)?.status === 'running')
            ? true
            : undefined;
        },
        90_000,
        500,
      );
    await allRunning(a);

    const filters = encodeURIComponent(JSON.stringify({ label: ['io.swiftor.managed=true'] }));
    const services = (
      await engineRequest<{ Spec: { Labels: Record<string, string> } }[]>(
        'GET',
        `/services?filters=${filters}`,
      )
    ).body;
    for (const id of vmIds)
      expect(services.filter((s) => s.Spec.Labels['io.swiftor.vm-id'] === id)).toHaveLength(1);

    // Lose server A: B keeps reconciling on its own.
    await servers[0]?.kill();
    const late = await b.call<{ id: string }>('POST', '/api/v1/vms', { image: 'httpd' });
    vmIds.push(late.body.id);
    await allRunning(b);
  });
});
