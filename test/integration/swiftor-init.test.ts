/**
 * `swiftor init` on the real engine. Traefik's and the control plane's images cannot be
 * pulled here, so the test checks the objects and specs it creates, that a second run
 * changes nothing, that --dry-run changes nothing, that a changed file updates in place,
 * and that VM observation is not disturbed by these waiting services.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { connectDockerEngine } from '../../src/driver/docker-engine.js';
import { parseInitConfig } from '../../src/init/init-config.js';
import { traefikArgs } from '../../src/init/plan-init.js';
import { engineAvailable, engineRequest, removeInitObjects, waitFor } from '../support/engine.js';

const available = await engineAvailable();
const NETWORK = `swiftor_init_it_${process.pid}`;

async function init(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['init', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out, err };
}

interface ServiceJson {
  ID: string;
  Version: { Index: number };
  Spec: {
    Labels: Record<string, string>;
    TaskTemplate: {
      ContainerSpec: {
        Args?: string[];
        Env?: string[];
        Secrets?: { SecretName: string }[];
        Configs?: { ConfigName: string }[];
      };
      Networks?: { Target: string }[];
    };
  };
}
const service = async (name: string) =>
  (await engineRequest<ServiceJson>('GET', `/services/${name}`)).body;

describe.skipIf(!available)('swiftor init', () => {
  let dir: string;
  beforeAll(removeInitObjects);
  afterAll(async () => {
    await removeInitObjects();
    await waitFor(
      'network removal',
      async () =>
        (await engineRequest('DELETE', `/networks/${NETWORK}`)).status < 300 ? true : undefined,
      30_000,
      500,
    ).catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates the network, Traefik and the control plane; a second run and a dry run change nothing; a change updates in place', async () => {
    dir = await mkdtemp(join(tmpdir(), 'swiftor-init-'));
    const file = join(dir, 'swiftor.yaml');
    const yaml = (refresh: number) =>
      [
        'domain: swiftor.example.com',
        `network: ${NETWORK}`,
        'acme:',
        '  email: ops@example.com',
        '  dns_provider: cloudflare',
        '  credentials:',
        '    CF_DNS_API_TOKEN: cf-credential-value-4242',
        'traefik:',
        `  refresh_seconds: ${refresh}`,
        'control_plane:',
        '  image: swiftor/swiftor:test',
        `  data_dir: ${dir}/data`,
        `  storage_root: ${dir}/storage`,
        '',
      ].join('\n');
    await writeFile(file, yaml(5));

    const first = await init('--config', file);
    expect(first.code, first.err.join('\n')).toBe(0);
    expect(first.out.map((l) => l.replace(/-[0-9a-f]{12}$/, '')).sort()).toEqual(
      [
        `create    network ${NETWORK}`,
        'create    secret swiftor-acme-cf-dns-api-token',
        'create    secret swiftor-secret-key',
        'create    service swiftor',
        'create    service swiftor-traefik',
        'create    config swiftor-traefik-dynamic',
      ].sort(),
    );

    const network = (
      await engineRequest<{ Driver: string; Attachable: boolean; Scope: string }>(
        'GET',
        `/networks/${NETWORK}`,
      )
    ).body;
    expect(network).toMatchObject({ Driver: 'overlay', Attachable: true, Scope: 'swarm' });
    const traefik = await service('swiftor-traefik');
    const expectedArgs = traefikArgs(
      parseInitConfig(await import('yaml').then((y) => y.parse(yaml(5)))),
      '/etc/traefik/dynamic/swiftor.yml',
    );
    expect(traefik.Spec.TaskTemplate.ContainerSpec.Args).toEqual(expectedArgs);
    expect(traefik.Spec.TaskTemplate.ContainerSpec.Env).toEqual([
      expect.stringMatching(
        /^CF_DNS_API_TOKEN_FILE=\/run\/secrets\/swiftor-acme-cf-dns-api-token-/,
      ),
    ]);
    expect(traefik.Spec.TaskTemplate.ContainerSpec.Secrets?.[0]?.SecretName).toMatch(
      /^swiftor-acme-cf-dns-api-token-/,
    );
    expect(traefik.Spec.TaskTemplate.ContainerSpec.Configs?.[0]?.ConfigName).toMatch(
      /^swiftor-traefik-dynamic-/,
    );
    expect(traefik.Spec.TaskTemplate.Networks?.[0]?.Target).toBe(
      (await engineRequest<{ Id: string }>('GET', `/networks/${NETWORK}`)).body.Id,
    );
    expect(JSON.stringify(traefik)).not.toContain('cf-credential-value-4242');
    const controlPlane = await service('swiftor');
    expect(controlPlane.Spec.Labels).toMatchObject({
      'io.swiftor.platform': 'true',
      'traefik.http.routers.swiftor.rule': 'Host(`swiftor.example.com`)',
    });
    expect(controlPlane.Spec.TaskTemplate.ContainerSpec.Env).toContain(
      'SWIFTOR_SECRET_KEY_FILE=/run/secrets/swiftor-secret-key',
    );

    const second = await init('--config', file);
    expect(
      second.out.every((l) => l.startsWith('unchanged')),
      second.out.join('\n'),
    ).toBe(true);
    expect(second.err).toContain('nothing to change');
    expect((await service('swiftor-traefik')).Version.Index).toBe(traefik.Version.Index);

    await writeFile(file, yaml(3));
    const dry = await init('--config', file, '--dry-run');
    expect(dry.out).toContain('update    service swiftor-traefik');
    expect((await service('swiftor-traefik')).Version.Index).toBe(traefik.Version.Index);

    const changed = await init('--config', file);
    expect(changed.out).toContain('update    service swiftor-traefik');
    expect(changed.out).toContain('unchanged service swiftor');
    const updated = await service('swiftor-traefik');
    expect(updated.ID).toBe(traefik.ID);
    expect(updated.Spec.TaskTemplate.ContainerSpec.Args).toContain(
      '--providers.swarm.refreshSeconds=3s',
    );

    // The waiting platform services are not VMs: the VM observation leaves them out.
    const engine = await connectDockerEngine();
    expect((await engine.observe()).map((s) => s.name)).not.toContain('swiftor');
  });

  it('explains a bad configuration file', async () => {
    const bad = join(await mkdtemp(join(tmpdir(), 'swiftor-init-bad-')), 'swiftor.yaml');
    await writeFile(bad, 'domain: not a domain\nacme:\n  email: nope\n');
    const result = await init('--config', bad);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(
      /invalid init configuration[\s\S]*domain: the wildcard DNS domain[\s\S]*acme.email/,
    );
  });
});
