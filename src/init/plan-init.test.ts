import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { config, testContext } from '../../test/support/deploy-context.js';
import { compileService } from '../compiler/compile-service.js';
import { decodeTraefikLabels } from '../compiler/traefik-labels.js';
import { parseInitConfig } from './init-config.js';
import { INIT_HASH_LABEL, planInit, traefikDynamicConfig } from './plan-init.js';

const initConfig = parseInitConfig({
  domain: 'swiftor.example.com',
  acme: {
    email: 'ops@example.com',
    dns_provider: 'cloudflare',
    credentials: { CF_DNS_API_TOKEN: 'cf-credential-value-9137' },
  },
});

describe('planInit', () => {
  const plan = planInit(initConfig, { value: 'a2V5' });
  const traefik = plan.services.find((s) => s.Name === 'swiftor-traefik') as {
    TaskTemplate: {
      ContainerSpec: { Args: string[]; Env: string[]; Secrets: { SecretName: string }[] };
    };
    EndpointSpec: unknown;
  };
  const controlPlane = plan.services.find((s) => s.Name === 'swiftor') as {
    Labels: Record<string, string>;
    TaskTemplate: {
      ContainerSpec: { Env: string[]; Mounts: { Source: string; Target: string }[] };
    };
  };

  it('runs Traefik with the Swarm provider, the platform network, a constraint and a short refresh', () => {
    const args = traefik.TaskTemplate.ContainerSpec.Args;
    expect(args).toEqual(
      expect.arrayContaining([
        '--providers.swarm=true',
        '--providers.swarm.exposedByDefault=false',
        '--providers.swarm.network=swiftor_edge',
        '--providers.swarm.constraints=Label(`io.swiftor.managed`,`true`) || Label(`io.swiftor.platform`,`true`)',
        '--providers.swarm.refreshSeconds=5s',
        '--entrypoints.web.http.redirections.entrypoint.to=websecure',
        '--entrypoints.websecure.address=:443',
        '--entrypoints.websecure.http.tls.domains[0].main=swiftor.example.com',
        '--entrypoints.websecure.http.tls.domains[0].sans=*.swiftor.example.com',
        '--certificatesresolvers.le.acme.dnschallenge.provider=cloudflare',
        '--entrypoints.websecure.transport.respondingTimeouts.readTimeout=600s',
      ]),
    );
    expect(traefik.EndpointSpec).toEqual({
      Mode: 'dnsrr',
      Ports: [
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 80, PublishMode: 'host' },
        { Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'host' },
      ],
    });
  });

  it('passes DNS credentials as Swarm secrets (FILE env), never as plain env', () => {
    const env = traefik.TaskTemplate.ContainerSpec.Env;
    expect(env).toEqual([
      expect.stringMatching(
        /^CF_DNS_API_TOKEN_FILE=\/run\/secrets\/swiftor-acme-cf-dns-api-token-[0-9a-f]{12}$/,
      ),
    ]);
    expect(JSON.stringify(plan.services)).not.toContain('cf-credential-value-9137');
    expect(plan.objects.map((o) => `${o.kind}:${o.role}`)).toEqual([
      'secret:secret-key',
      'secret:acme-cf-dns-api-token',
      'config:traefik-dynamic',
    ]);
  });

  it('routes the control plane at the domain and hands it its key as a secret file', () => {
    expect(controlPlane.Labels).toMatchObject({
      'io.swiftor.platform': 'true',
      'traefik.http.routers.swiftor.rule': 'Host(`swiftor.example.com`)',
      'traefik.http.services.swiftor.loadbalancer.server.port': '8080',
    });
    expect(controlPlane.Labels['io.swiftor.managed']).toBeUndefined();
    expect(controlPlane.TaskTemplate.ContainerSpec.Env).toEqual(
      expect.arrayContaining([
        'SWIFTOR_INGRESS=traefik',
        'SWIFTOR_SECRET_KEY_FILE=/run/secrets/swiftor-secret-key',
        'SWIFTOR_DOMAIN=swiftor.example.com',
      ]),
    );
    expect(controlPlane.TaskTemplate.ContainerSpec.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/var/lib/swiftor/storage',
      Target: '/var/lib/swiftor/storage',
    });
  });

  it('is deterministic (same file, same hashes) and keeps an existing key', () => {
    const again = planInit(initConfig, { value: 'a2V5' });
    expect(
      again.services.map((s) => (s.Labels as Record<string, string>)[INIT_HASH_LABEL]),
    ).toEqual(plan.services.map((s) => (s.Labels as Record<string, string>)[INIT_HASH_LABEL]));
    const kept = planInit(initConfig, { existingName: 'swiftor-secret-key-000000000000' });
    expect(kept.objects.some((o) => o.role === 'secret-key')).toBe(false);
    expect(JSON.stringify(kept.services)).toContain('swiftor-secret-key-000000000000');
  });

  it('sets up a laptop without Traefik for ingress ports', () => {
    const ports = planInit({ ...initConfig, ingress: 'ports' }, { value: 'a2V5' });
    expect(ports.network).toBeUndefined();
    expect(ports.services.map((s) => s.Name)).toEqual(['swiftor']);
  });

  it('refuses several replicas without PostgreSQL', () => {
    expect(() =>
      parseInitConfig({ domain: 'swiftor.example.com', control_plane: { replicas: 2 } }),
    ).toThrow(/invalid init configuration/);
  });
});

describe('VM routers against what init sets up', () => {
  it('every router of a compiled VM uses existing services and middlewares, the init entrypoint and network, and forward-auth', () => {
    const dynamic = parse(traefikDynamicConfig(initConfig)) as {
      http: {
        middlewares: Record<string, unknown>;
        routers: Record<string, { entryPoints: string[] }>;
      };
    };
    const vm = compileService(
      config({
        image_name: 'x',
        networking: { additional_routes: { manage: 8081 } },
        traefik: { additional_networking: true },
      }),
      testContext(
        { portForwards: [{ name: 'blog', port: 4000 }] },
        { domain: 'swiftor.example.com', network: initConfig.network },
      ),
    );
    const labels = decodeTraefikLabels(vm.spec.Labels);
    expect(labels.network).toBe(initConfig.network);
    expect(Object.keys(labels.routers)).toHaveLength(3);
    for (const [name, router] of Object.entries(labels.routers)) {
      expect(router.entrypoints, name).toBe('websecure');
      expect(dynamic.http.routers['swiftor-vm-fallback']?.entryPoints).toContain(
        router.entrypoints,
      );
      expect(router.service && router.service in labels.services, name).toBe(true);
      const [auth, ...own] = (router.middlewares ?? '').split(',');
      expect(auth, name).toBe('swiftor-auth@file');
      expect(dynamic.http.middlewares).toHaveProperty('swiftor-auth');
      for (const middleware of own)
        expect(middleware in labels.middlewares, `${name} -> ${middleware}`).toBe(true);
    }
  });
});
