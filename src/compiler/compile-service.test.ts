import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { config, testContext } from '../../test/support/deploy-context.js';
import { parseCatalogSource } from '../catalog/load-catalog-file.js';
import { EngineCapabilityError, ValidationError } from '../domain/errors.js';
import { compileService } from './compile-service.js';
import { computeSpecHash } from './spec-hash.js';

function fixture(name: string) {
  const path = new URL(`../../examples/${name}`, import.meta.url);
  const { entries, problems } = parseCatalogSource(readFileSync(path, 'utf8'), name);
  expect(problems).toEqual([]);
  const entry = entries[0];
  if (!entry) throw new Error(`no entry in ${name}`);
  return entry;
}

describe('golden specs', () => {
  it("compiles the seed's code-server example", async () => {
    const entry = fixture('seed-code-server.py');
    const compiled = compileService(entry.config, testContext({ entry: entry.name }));
    await expect(`${JSON.stringify(compiled, null, 2)}\n`).toMatchFileSnapshot(
      './__golden__/code-server.json',
    );
  });

  it('compiles a webtop (ubuntu/kde) with secrets, limits and a 1 GiB /dev/shm', async () => {
    const entry = fixture('webtop.yaml');
    const compiled = compileService(
      entry.config,
      testContext({ entry: entry.name, distribution: 'ubuntu', desktop: 'kde' }),
    );
    await expect(`${JSON.stringify(compiled, null, 2)}\n`).toMatchFileSnapshot(
      './__golden__/webtop-ubuntu-kde.json',
    );
    expect(JSON.stringify(compiled.spec)).not.toContain('s3cret-pass');
  });
});

describe('compileService', () => {
  const base = config({ image_name: 'x' });

  it('gives every VM the architecture defaults', () => {
    const { spec } = compileService(base, testContext());
    expect(spec.Name).toBe('vm-k3x9a0b2c4');
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(spec.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect(spec.TaskTemplate.ContainerSpec.Init).toBe(false);
    expect(spec.TaskTemplate.Networks).toEqual([
      { Target: 'swiftor_edge', Aliases: ['vm-k3x9a0b2c4'] },
    ]);
    expect(spec.TaskTemplate.RestartPolicy).toEqual({
      Condition: 'any',
      Delay: 5e9,
      MaxAttempts: 0,
    });
    expect(spec.TaskTemplate.ContainerSpec.Mounts).toContainEqual({
      Type: 'tmpfs',
      Target: '/dev/shm',
      TmpfsOptions: { SizeBytes: 64 * 1024 ** 2, Mode: 0o1777 },
    });
    for (const labels of [spec.Labels, spec.TaskTemplate.ContainerSpec.Labels]) {
      expect(labels).toMatchObject({
        'io.swiftor.managed': 'true',
        'io.swiftor.vm-id': 'k3x9a0b2c4',
        'io.swiftor.owner': 'alice',
        'io.swiftor.spec-hash': expect.stringMatching(/^[0-9a-f]{16}$/),
      });
    }
  });

  it('uses a 30 s stop grace period unless the entry sets its own', () => {
    expect(
      compileService(base, testContext()).spec.TaskTemplate.ContainerSpec.StopGracePeriod,
    ).toBe(30e9);
    const quick = config({ image_name: 'x', platform: { stop_grace_seconds: 2 } });
    expect(
      compileService(quick, testContext()).spec.TaskTemplate.ContainerSpec.StopGracePeriod,
    ).toBe(2e9);
  });

  it('gives webtops a 1 GiB /dev/shm and honours platform.shm_size', () => {
    const shmOf = (input: Parameters<typeof config>[0]) =>
      compileService(config(input), testContext()).spec.TaskTemplate.ContainerSpec.Mounts.find(
        (m) => m.Target === '/dev/shm',
      )?.TmpfsOptions?.SizeBytes;
    expect(shmOf({ image_name: 'webtop', is_webtop: true })).toBe(1024 ** 3);
    expect(shmOf({ image_name: 'firefox', platform: { shm_size: '1g' } })).toBe(1024 ** 3);
    expect(shmOf({ image_name: 'x', platform: { shm_size: '512m' } })).toBe(512 * 1024 ** 2);
  });

  it('hashes the spec deterministically and ignores the replica count', () => {
    const a = compileService(base, testContext());
    const b = compileService(base, testContext());
    expect(a.specHash).toBe(b.specHash);
    const stopped = structuredClone(a.spec);
    stopped.Mode.Replicated.Replicas = 0;
    expect(computeSpecHash(stopped)).toBe(a.specHash);
    expect(
      compileService(config({ image_name: 'x', image_tag: '2' }), testContext()).specHash,
    ).not.toBe(a.specHash);
    expect(
      compileService(base, testContext({ password: { value: 'other', version: 2 } })).specHash,
    ).toBe(a.specHash);
  });

  it('publishes host-mode ports and drops Traefik labels for ingress ports', () => {
    const { spec, endpoints, warnings } = compileService(
      config({
        image_name: 'x',
        networking: { entrypoint_port: 8443 },
        traefik: { custom_labels: ['a=b'] },
      }),
      testContext({}, { ingress: 'ports', network: undefined }),
    );
    expect(spec.EndpointSpec).toEqual({
      Mode: 'dnsrr',
      Ports: [{ Protocol: 'tcp', TargetPort: 8443, PublishMode: 'host' }],
    });
    expect(Object.keys(spec.Labels).some((k) => k.startsWith('traefik.'))).toBe(false);
    expect(spec.TaskTemplate.Networks).toBeUndefined();
    expect(endpoints).toEqual([{ kind: 'entrypoint', name: 'main', port: 8443 }]);
    expect(warnings).toContain('traefik.custom_labels: ignored with ingress "ports" (no Traefik)');
  });

  it('adds FULL profile fields and the tun device', () => {
    const { spec } = compileService(
      config({ image_name: 'vpn', security_profile: 'FULL' }),
      testContext(),
    );
    const container = spec.TaskTemplate.ContainerSpec;
    expect(container.Privileges).toEqual({
      Seccomp: { Mode: 'unconfined' },
      AppArmor: { Mode: 'disabled' },
    });
    expect(container.CapabilityAdd).toEqual(['CAP_NET_ADMIN']);
    expect(container.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/dev/net/tun',
      Target: '/dev/net/tun',
    });
  });

  it('refuses a profile the engine cannot honour', () => {
    expect(() =>
      compileService(
        config({ image_name: 'x', security_profile: 'BASIC' }),
        testContext({}, { engineApiVersion: '1.41' }),
      ),
    ).toThrow(EngineCapabilityError);
  });

  it('reports every problem at once, each with its field', () => {
    const bad = config({
      image_name: 'x',
      volumes: {
        a: { host_path: '../x', container_path: '/a' },
        b: { host_path: '/etc', container_path: '/b' },
      },
    });
    try {
      compileService(bad, testContext({ distribution: 'ubuntu' }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).validations.map((v) => v.field)).toEqual([
        'desktop',
        'volumes.a.host_path',
        'volumes.b.host_path',
      ]);
    }
  });

  it.each([
    [{ username: 'Alice' }, {}, 'user'],
    [{ username: '../etc' }, {}, 'user'],
    [{ vmId: 'ABC' }, {}, 'vm_id'],
    [{ vmId: 'k3x9a0b2c4.evil' }, {}, 'vm_id'],
    [{}, { storageRoot: 'relative/dir' }, 'storage_root'],
    [{}, { engineApiVersion: 'latest' }, 'engine_api'],
    [{}, { domain: 'Swiftor.IO' }, 'domain'],
    [{}, { network: undefined }, 'network'],
  ])('rejects a bad deploy context %j %j', (overrides, platform, field) => {
    expect(() => compileService(base, testContext(overrides, platform))).toThrow(
      expect.objectContaining({ validations: [expect.objectContaining({ field })] }),
    );
  });

  it('places VMs by node constraints and reserves resources so Swarm spreads them', () => {
    const desktop = config({
      image_name: 'webtop',
      platform: {
        placement: ['node.labels.swiftor.desktops == true'],
        resources: { reserve_cpus: 1, reserve_memory: '2g' },
      },
    });
    const { spec } = compileService(desktop, testContext());
    expect(spec.TaskTemplate.Placement).toEqual({
      Constraints: ['node.labels.swiftor.desktops == true'],
    });
    expect(spec.TaskTemplate.Resources).toEqual({
      Reservations: { NanoCPUs: 1e9, MemoryBytes: 2 * 1024 ** 3 },
    });
    expect(() => config({ image_name: 'x', platform: { placement: ['rm -rf /'] } })).toThrow(
      /a Swarm constraint/,
    );
  });

  it('applies catalog resource limits over platform defaults', () => {
    const limited = config({ image_name: 'x', platform: { resources: { memory: '2g' } } });
    const { spec } = compileService(
      limited,
      testContext({}, { resources: { cpus: 1.5, memoryBytes: 1024 } }),
    );
    expect(spec.TaskTemplate.Resources).toEqual({
      Limits: { NanoCPUs: 1.5e9, MemoryBytes: 2 * 1024 ** 3 },
    });
    expect(compileService(base, testContext()).spec.TaskTemplate.Resources).toBeUndefined();
  });
});
