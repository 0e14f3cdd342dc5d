/** The real driver on the real engine: the shared contract, then engine-only behaviour. */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '../../src/domain/errors.js';
import { deriveVmStatus } from '../../src/domain/vm-status.js';
import { connectDockerEngine } from '../../src/driver/docker-engine.js';
import { describeEnginePortContract } from '../contract/engine-port.contract.js';
import { engineAvailable, engineRequest, waitFor } from '../support/engine.js';
import { realEngineSetup, removeRunServices } from '../support/real-engine-fixture.js';

const available = await engineAvailable();
const RUN = `it${Math.random().toString(36).slice(2, 6)}`;
const setup = available ? await realEngineSetup(RUN) : undefined;

afterAll(async () => {
  if (setup) await removeRunServices(setup.engine, RUN);
});

if (setup) {
  describeEnginePortContract('Docker engine', async () => ({
    engine: setup.engine,
    compile: (vmId, change) =>
      setup.compile(vmId, {
        default_env: Object.fromEntries(
          (change?.env ?? []).map((e) => e.split('=') as [string, string]),
        ),
      }),
    prepare: (compiled) => setup.storage.prepare(compiled.directories),
    presentImage: 'swiftor-test/httpd:latest',
    missingImage: 'swiftor-test/nowhere:latest',
    newVmId: setup.newVmId,
    timeoutMs: 30_000,
  }));
}

/** Runs a command in the VM's running container and returns its output. */
async function execIn(vmId: string, cmd: string[]): Promise<string> {
  const observed = await setup?.engine.inspectService(vmId);
  const containerId = observed?.tasks.find((t) => t.state === 'running')?.containerId;
  if (!containerId) throw new Error(`no running container for ${vmId}`);
  const exec = await engineRequest<{ Id: string }>('POST', `/containers/${containerId}/exec`, {
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
  });
  const started = await engineRequest<string>('POST', `/exec/${exec.body.Id}/start`, {
    Detach: false,
    Tty: true,
  });
  return String(started.body);
}

async function runningVm(input: Parameters<NonNullable<typeof setup>['compile']>[1] = {}) {
  if (!setup) throw new Error('no engine');
  const vmId = setup.newVmId();
  const compiled = setup.compile(vmId, input);
  await setup.storage.prepare(compiled.directories);
  await setup.engine.createService(compiled.spec, compiled.secrets);
  const observed = await waitFor(
    `${vmId} running`,
    async () => {
      const o = await setup.engine.inspectService(vmId);
      return deriveVmStatus(o, 'running').status === 'running' ? o : undefined;
    },
    30_000,
  );
  return { vmId, compiled, observed };
}

describe.skipIf(!available)('Docker engine driver', () => {
  it('keeps /config across stop and start, and serves HTTP on the published port', async () => {
    if (!setup) return;
    const { vmId, observed } = await runningVm();
    const port = observed.tasks
      .find((t) => t.state === 'running')
      ?.publishedPorts.find((p) => p.target === 3000)?.published;
    const page = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
    expect(await page.text()).toBe('ok\n');

    await execIn(vmId, ['sh', '-c', 'echo persisted > /config/note.txt']);
    await setup.engine.scaleService(vmId, 0);
    await waitFor(
      'stopped',
      async () =>
        deriveVmStatus(await setup.engine.inspectService(vmId), 'stopped').status === 'stopped'
          ? true
          : undefined,
      40_000,
    );
    expect(
      (await setup.engine.inspectService(vmId))?.tasks.some((t) => t.state === 'running'),
    ).toBe(false);
    await setup.engine.scaleService(vmId, 1);
    await waitFor(
      'running again',
      async () =>
        deriveVmStatus(await setup.engine.inspectService(vmId), 'running').status === 'running'
          ? true
          : undefined,
      30_000,
    );
    expect((await execIn(vmId, ['cat', '/config/note.txt'])).trim()).toBe('persisted');
    expect(await readFile(join(setup.storageRoot, 'alice', 'vms', vmId, 'note.txt'), 'utf8')).toBe(
      'persisted\n',
    );
    await setup.engine.removeService(vmId);
    expect(await setup.engine.inspectService(vmId)).toBeUndefined();
  });

  it.each([
    ['NONE', '2', false],
    ['BASIC', '0', false],
    ['ADVANCED', '0', false],
    ['FULL', '0', true],
  ] as const)(
    'security profile %s holds inside the container',
    async (profile, seccomp, netAdmin) => {
      if (!setup) return;
      const { vmId } = await runningVm({ security_profile: profile });
      const status = await execIn(vmId, ['cat', '/proc/1/status']);
      expect(status).toMatch(new RegExp(`Seccomp:\\s+${seccomp}`));
      const capEff = BigInt(`0x${/CapEff:\s+([0-9a-f]+)/.exec(status)?.[1]}`);
      const NET_ADMIN = 1n << 12n;
      expect((capEff & NET_ADMIN) !== 0n).toBe(netAdmin);
      const tun = await execIn(vmId, ['sh', '-c', 'ls -l /dev/net/tun 2>&1']);
      if (netAdmin) expect(tun).toMatch(/^c.* 10,\s+200 .*\/dev\/net\/tun/);
      else expect(tun).toMatch(/No such file/);
      await setup.engine.removeService(vmId);
    },
  );

  it('reports a crashing command as error with its exit code', async () => {
    if (!setup) return;
    const vmId = setup.newVmId();
    const compiled = setup.compile(vmId);
    compiled.spec.TaskTemplate.ContainerSpec.Command = ['sh', '-c', 'echo boom; exit 3'];
    compiled.spec.TaskTemplate.RestartPolicy.Delay = 1e9;
    await setup.storage.prepare(compiled.directories);
    await setup.engine.createService(compiled.spec, compiled.secrets);
    const status = await waitFor(
      'crash loop',
      async () => {
        const derived = deriveVmStatus(await setup.engine.inspectService(vmId), 'running');
        return derived.status === 'error' ? derived : undefined;
      },
      30_000,
    );
    expect(status.reason).toMatch(
      /^crash loop: the container exited with exit code 3 \d+ times in a row/,
    );
    await setup.engine.removeService(vmId);
  });

  it('passes placement constraints and reservations to Swarm', async () => {
    if (!setup) return;
    const vmId = setup.newVmId();
    const compiled = setup.compile(vmId, {
      platform: {
        placement: ['node.labels.swiftor.desktops == true'],
        resources: { reserve_memory: '64m' },
      },
    });
    await setup.storage.prepare(compiled.directories);
    await setup.engine.createService(compiled.spec, compiled.secrets);
    // No node carries the label, so Swarm keeps the task pending and says why.
    const task = await waitFor(
      'a pending task',
      async () =>
        (await setup.engine.inspectService(vmId))?.tasks.find(
          (t) => t.state === 'pending' && /no suitable node/.test(t.error ?? t.message),
        ),
      30_000,
    );
    expect(task.error ?? task.message).toMatch(/constraint/);
    const derived = deriveVmStatus(await setup.engine.inspectService(vmId), 'running');
    expect(derived.status).toBe('starting');
    await setup.engine.removeService(vmId);
  });

  it('storage mode nfs: the engine keeps the NFS volume options, and a failing mount is an error, not a silent retry', async () => {
    if (!setup) return;
    // This machine's kernel has no NFS client, so the mount itself cannot succeed here.
    const vmId = setup.newVmId();
    const compiled = setup.compile(
      vmId,
      {},
      { storage: { kind: 'nfs', address: '127.0.0.1', exportRoot: '/exports/swiftor' } },
    );
    await setup.storage.prepare(compiled.directories);
    const id = await setup.engine.createService(compiled.spec, compiled.secrets);
    const stored = (
      await engineRequest<{ Spec: { TaskTemplate: { ContainerSpec: { Mounts: unknown[] } } } }>(
        'GET',
        `/services/${id}`,
      )
    ).body;
    expect(stored.Spec.TaskTemplate.ContainerSpec.Mounts[0]).toMatchObject({
      Type: 'volume',
      Source: `swiftor-${vmId}-config`,
      VolumeOptions: {
        DriverConfig: {
          Name: 'local',
          Options: { type: 'nfs', device: `:/exports/swiftor/alice/vms/${vmId}` },
        },
      },
    });
    const status = await waitFor(
      'the mount failure',
      async () => {
        const derived = deriveVmStatus(await setup.engine.inspectService(vmId), 'running');
        return derived.status === 'error' ? derived : undefined;
      },
      30_000,
    );
    expect(status.reason).toMatch(/^storage mount failed: .*failed to mount local volume/);
    await setup.engine.removeService(vmId);
    // The volume is only a mount definition on this node (data lives on the server).
    await waitFor(
      'the volume definition to go',
      async () =>
        (await engineRequest('DELETE', `/volumes/swiftor-${vmId}-config`)).status < 300
          ? true
          : undefined,
      30_000,
      500,
    ).catch(() => {});
  });

  it('observes 50 services with exactly two engine requests', async () => {
    if (!setup) return;
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const vmId = setup.newVmId();
      const compiled = setup.compile(vmId);
      compiled.spec.Mode.Replicated.Replicas = i < 10 ? 1 : 0;
      await setup.storage.prepare(compiled.directories);
      await setup.engine.createService(compiled.spec, compiled.secrets);
      ids.push(vmId);
    }
    const before = setup.engine.http.requestCount;
    const observed = await setup.engine.observe();
    expect(setup.engine.http.requestCount - before).toBe(2);
    const ours = observed.filter((s) => ids.includes(s.vmId));
    expect(ours).toHaveLength(50);
    await waitFor(
      'tasks of the 10 running services',
      async () => {
        const again = (await setup.engine.observe()).filter((s) => ids.includes(s.vmId));
        return again.filter((s) => s.tasks.length > 0).length === 10 ? true : undefined;
      },
      60_000,
    );
    for (const vmId of ids) await setup.engine.removeService(vmId);
  });
});

describe('an engine that is not there', () => {
  it('fails fast with EngineUnavailableError when nothing listens', async () => {
    const started = Date.now();
    await expect(
      connectDockerEngine({ url: `unix://${join(tmpdir(), 'no-such-docker.sock')}` }),
    ).rejects.toThrow(EngineUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out instead of hanging when the engine accepts but never answers', async () => {
    const socket = join(await mkdtemp(join(tmpdir(), 'swiftor-hung-')), 'docker.sock');
    const server: Server = createServer(() => {});
    await new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(socket, resolve),
    );
    try {
      const started = Date.now();
      const error = await connectDockerEngine({ url: `unix://${socket}`, timeoutMs: 500 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toMatch(/did not answer the version check/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      server.close();
      await rm(join(socket, '..'), { recursive: true, force: true });
    }
  });
});
