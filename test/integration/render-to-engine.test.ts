/**
 * Issue 2's end-to-end check: a spec printed by `swiftor render`, sent unchanged to a real
 * engine's POST /v1.45/services/create, runs with the expected labels, mounts and env.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ServiceSpec } from '../../src/domain/service-spec.js';
import {
  engineAvailable,
  engineRequest,
  randomVmId,
  waitFor,
  waitForRunningTask,
} from '../support/engine.js';

const available = await engineAvailable();

const CATALOG = `
httpd:
  image_prefix: ""
  image_name: swiftor-test/httpd
  image_tag: latest
  default_env:
    OWNER: \${SWIFTOR_USERNAME}
    ORIGIN: https://\${SWIFTOR_VMID}.swiftor.test
  additional_env:
    OWNER: overridden-\${SWIFTOR_USERNAME}
  volumes:
    projects:
      host_path: projects/\${SWIFTOR_VMID}
      container_path: /projects
  networking:
    entrypoint_port: 3000
    additional_routes:
      manage: 3000
`;

async function render(...args: string[]): Promise<ServiceSpec> {
  let out = '';
  const code = await runCli(['render', ...args], { out: (t) => (out += t), err: () => {} });
  expect(code).toBe(0);
  return JSON.parse(out) as ServiceSpec;
}

describe.skipIf(!available)('a rendered spec on a real engine', () => {
  let workDir: string;
  let catalogFile: string;
  const network = `swiftor-it-${randomVmId()}`;
  const createdServices: string[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'swiftor-render-'));
    catalogFile = join(workDir, 'catalog.yaml');
    await writeFile(catalogFile, CATALOG);
    const created = await engineRequest('POST', '/v1.45/networks/create', {
      Name: network,
      Driver: 'overlay',
      Attachable: true,
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    for (const id of createdServices) await engineRequest('DELETE', `/services/${id}`);
    // The network can be removed only once the service's task is gone.
    await waitFor(
      'network removal',
      async () =>
        (await engineRequest('DELETE', `/networks/${network}`)).status < 300 ? true : undefined,
      30_000,
      500,
    ).catch(() => {});
    await rm(workDir, { recursive: true, force: true });
  });

  async function createAndInspect(spec: ServiceSpec) {
    // The storage layer (issue 3) creates bind sources; here the test does it, as Swarm needs them.
    for (const mount of spec.TaskTemplate.ContainerSpec.Mounts) {
      if (mount.Type === 'bind' && mount.Source) await mkdir(mount.Source, { recursive: true });
    }
    const created = await engineRequest<{ ID: string }>('POST', '/v1.45/services/create', spec);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    createdServices.push(created.body.ID);
    const task = await waitForRunningTask(created.body.ID);
    const containerId = task.Status.ContainerStatus?.ContainerID;
    const container = await engineRequest<{
      Config: { Env: string[]; Labels: Record<string, string> };
      Mounts: { Type: string; Source: string; Destination: string }[];
    }>('GET', `/containers/${containerId}/json`);
    const service = await engineRequest<{ Spec: ServiceSpec }>(
      'GET',
      `/services/${created.body.ID}`,
    );
    return { task, container: container.body, service: service.body.Spec, containerId };
  }

  it('ingress ports: runs, with env, mounts, labels and an HTTP-reachable published port', async () => {
    const vmId = randomVmId();
    const storage = join(workDir, 'storage');
    const spec = await render(
      catalogFile,
      '--user',
      'alice',
      '--vm-id',
      vmId,
      '--ingress',
      'ports',
      '--storage-root',
      storage,
    );
    const { task, container, service, containerId } = await createAndInspect(spec);

    expect(service.Labels).toEqual(spec.Labels);
    expect(service.Labels['io.swiftor.vm-id']).toBe(vmId);
    expect(container.Config.Labels).toMatchObject(spec.TaskTemplate.ContainerSpec.Labels);
    expect(container.Config.Env).toEqual(
      expect.arrayContaining([
        'OWNER=overridden-alice',
        `ORIGIN=https://${vmId}.swiftor.test`,
        'PUID=1000',
        'PGID=1000',
        'TZ=Etc/UTC',
      ]),
    );
    const binds = container.Mounts.filter((m) => m.Type === 'bind').map((m) => [
      m.Source,
      m.Destination,
    ]);
    expect(binds).toEqual(
      expect.arrayContaining([
        [join(storage, 'alice', 'vms', vmId), '/config'],
        [join(storage, 'alice', 'projects', vmId), '/projects'],
      ]),
    );

    // The file the container writes under /config lands in the VM's storage folder.
    const exec = await engineRequest<{ Id: string }>(
      'POST',
      `/v1.45/containers/${containerId}/exec`,
      {
        Cmd: ['sh', '-c', 'echo hello > /config/proof.txt'],
      },
    );
    await engineRequest('POST', `/v1.45/exec/${exec.body.Id}/start`, { Detach: false });
    await waitFor('the file in storage', () =>
      readFile(join(storage, 'alice', 'vms', vmId, 'proof.txt'), 'utf8').catch(() => undefined),
    );

    const published = task.Status.PortStatus?.Ports?.find(
      (p) => p.TargetPort === 3000,
    )?.PublishedPort;
    expect(published).toBeGreaterThan(0);
    const response = await fetch(`http://127.0.0.1:${published}/`, {
      signal: AbortSignal.timeout(5000),
    });
    expect(await response.text()).toBe('ok\n');
  });

  it('ingress traefik: runs on the overlay network with every Traefik label intact', async () => {
    const vmId = randomVmId();
    const spec = await render(
      catalogFile,
      '--user',
      'bob',
      '--vm-id',
      vmId,
      '--network',
      network,
      '--storage-root',
      join(workDir, 'storage'),
    );
    const { service } = await createAndInspect(spec);
    expect(service.Labels).toEqual(spec.Labels);
    expect(service.Labels[`traefik.http.routers.vm-${vmId}-r-manage.rule`]).toBe(
      `Host(\`${vmId}.swiftor.localhost\`) && (Path(\`/manage\`) || PathPrefix(\`/manage/\`))`,
    );
    expect(service.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect(service.TaskTemplate.ContainerSpec.Init).toBe(false);
    expect(service.TaskTemplate.ContainerSpec.Mounts).toEqual(
      spec.TaskTemplate.ContainerSpec.Mounts,
    );
  });
});
