/**
 * The control plane as a Swarm service, as `swiftor init --ingress ports` deploys it: the
 * image is built from this checkout without a registry (scripts/build-local-image.sh), the
 * service starts, answers /readyz through its published port, and creates and serves a VM
 * through the mounted Docker socket.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { engineAvailable, engineRequest, removeInitObjects, waitFor } from '../support/engine.js';
import { ApiClient, freePort } from '../support/server-process.js';

const available = await engineAvailable();

describe.skipIf(!available)('the control plane as a Swarm service', () => {
  let dir = '';
  let vmId = '';
  afterAll(async () => {
    if (vmId) await engineRequest('DELETE', `/services/vm-${vmId}`);
    await removeInitObjects();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs from `swiftor init --ingress ports`, is ready, and creates a VM', async () => {
    // A shared engine may hold an earlier run's key secret; start from none.
    await removeInitObjects();
    execFileSync('bash', ['scripts/build-local-image.sh', 'swiftor/swiftor:local'], {
      stdio: 'inherit',
      timeout: 300_000,
    });
    dir = await mkdtemp(join(tmpdir(), 'swiftor-cp-service-'));
    const storage = join(dir, 'storage');
    // The operator catalog sits under the storage root, which the service mounts at the same path.
    await mkdir(join(storage, '_catalog'), { recursive: true });
    await mkdir(join(dir, 'data'));
    await writeFile(
      join(storage, '_catalog', 'test.yaml'),
      'httpd:\n  image_prefix: ""\n  image_name: swiftor-test/httpd\n  image_tag: latest\n',
    );
    const port = await freePort();
    const config = join(dir, 'swiftor.yaml');
    await writeFile(
      config,
      [
        'domain: swiftor.example.com',
        'ingress: ports',
        'control_plane:',
        '  image: swiftor/swiftor:local',
        `  port: ${port}`,
        `  data_dir: ${dir}/data`,
        `  storage_root: ${storage}`,
        '  env:',
        '    SWIFTOR_ADMIN_PASSWORD: admin-password',
        `    SWIFTOR_CATALOG_DIR: ${storage}/_catalog`,
        // Other tests' VMs share this engine: never treat them as orphans.
        '    SWIFTOR_ORPHAN_GRACE: "86400"',
        '',
      ].join('\n'),
    );
    const out: string[] = [];
    expect(
      await runCli(['init', '--config', config], { out: (t) => out.push(t), err: () => {} }),
    ).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(/^create +secret swiftor-secret-key-/),
      'create    service swiftor',
    ]);

    const base = `http://127.0.0.1:${port}`;
    const ready = await waitFor(
      'the control plane to be ready',
      async () => {
        const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(
          () => undefined,
        );
        return response?.ok ? ((await response.json()) as unknown) : undefined;
      },
      90_000,
      500,
    );
    expect(ready).toEqual({ status: 'ready', checks: { database: 'ok', engine: 'ok' } });

    const api = new ApiClient(base);
    await api.login('admin', 'admin-password');
    const created = await api.call<{ id: string }>('POST', '/api/v1/vms', { image: 'httpd' });
    expect(created.status).toBe(202);
    vmId = created.body.id;
    const vm = await waitFor(
      'the VM to run',
      async () => {
        const { body } = await api.call<{ status: string; urls: { url: string }[] }>(
          'GET',
          `/api/v1/vms/${vmId}`,
        );
        return body.status === 'running' && body.urls[0] ? body : undefined;
      },
      60_000,
      500,
    );
    // The published VM port is on this node; the URL's host is the container's idea of it.
    const published = new URL(vm.urls[0]?.url ?? '').port;
    expect(
      await (
        await fetch(`http://127.0.0.1:${published}/`, { signal: AbortSignal.timeout(5000) })
      ).text(),
    ).toBe('ok\n');
    // Its folder was created on the host through the same-path storage mount.
    expect(
      (
        await engineRequest<{
          Spec: { TaskTemplate: { ContainerSpec: { Mounts: { Source: string }[] } } };
        }>('GET', `/services/vm-${vmId}`)
      ).body.Spec.TaskTemplate.ContainerSpec.Mounts[0]?.Source,
    ).toBe(join(storage, 'admin', 'vms', vmId));
  });
});
