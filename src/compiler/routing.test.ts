import { describe, expect, it } from 'vitest';
import { config, testContext } from '../../test/support/deploy-context.js';
import { ProblemList } from '../domain/errors.js';
import type { ImageConfigInput } from '../domain/image-config.js';
import type { DeployContext } from './deploy-context.js';
import {
  compilePublishedPorts,
  compileTraefikRouting,
  portForwardHost,
  vmHost,
  vmIdFromHost,
} from './routing.js';
import { decodeTraefikLabels } from './traefik-labels.js';

function route(input: ImageConfigInput, ctx: DeployContext = testContext()) {
  const problems = new ProblemList();
  const result = compileTraefikRouting(config(input), ctx, problems);
  return { ...result, problems: problems.problems };
}

/** The round-trip proof: every router is well-formed and wired to things that exist. */
function expectWellFormedRouters(labels: Record<string, string>) {
  const decoded = decodeTraefikLabels(labels);
  expect(decoded.enable).toBe(true);
  expect(decoded.network).toBe('swiftor_edge');
  expect(Object.keys(decoded.routers).length).toBeGreaterThan(0);
  for (const [name, router] of Object.entries(decoded.routers)) {
    expect(name.startsWith('vm-k3x9a0b2c4'), name).toBe(true);
    expect(router.entrypoints, name).toBe('websecure');
    expect(router.tls, name).toBe('true');
    expect(
      router.service && router.service in decoded.services,
      `${name} -> ${router.service}`,
    ).toBe(true);
    const middlewares = router.middlewares?.split(',') ?? [];
    expect(middlewares[0], name).toBe('swiftor-auth@file');
    for (const m of middlewares.slice(1))
      expect(m in decoded.middlewares, `${name} -> ${m}`).toBe(true);
  }
  for (const service of Object.values(decoded.services)) {
    expect(Number(service['loadbalancer.server.port'])).toBeGreaterThan(0);
  }
}

describe('compileTraefikRouting', () => {
  it('emits the reference template for the main router', () => {
    const { labels, endpoints } = route({ image_name: 'x', networking: { entrypoint_port: 8443 } });
    expect(labels).toEqual({
      'traefik.enable': 'true',
      'traefik.swarm.network': 'swiftor_edge',
      'traefik.http.routers.vm-k3x9a0b2c4.rule': 'Host(`k3x9a0b2c4.swiftor.io`)',
      'traefik.http.routers.vm-k3x9a0b2c4.entrypoints': 'websecure',
      'traefik.http.routers.vm-k3x9a0b2c4.priority': '100',
      'traefik.http.routers.vm-k3x9a0b2c4.tls': 'true',
      'traefik.http.routers.vm-k3x9a0b2c4.tls.certresolver': 'le',
      'traefik.http.routers.vm-k3x9a0b2c4.tls.domains[0].main': 'swiftor.io',
      'traefik.http.routers.vm-k3x9a0b2c4.tls.domains[0].sans': '*.swiftor.io',
      'traefik.http.routers.vm-k3x9a0b2c4.middlewares': 'swiftor-auth@file',
      'traefik.http.routers.vm-k3x9a0b2c4.service': 'vm-k3x9a0b2c4',
      'traefik.http.services.vm-k3x9a0b2c4.loadbalancer.server.port': '8443',
    });
    expect(endpoints).toEqual([
      { kind: 'entrypoint', name: 'main', port: 8443, url: 'https://k3x9a0b2c4.swiftor.io/' },
    ]);
    expectWellFormedRouters(labels);
  });

  it('adds router, service, slash redirect and strip prefix per additional route', () => {
    const { labels, endpoints } = route({
      image_name: 'x',
      networking: { additional_routes: { manage: 8081 } },
    });
    const r = 'traefik.http.routers.vm-k3x9a0b2c4-r-manage';
    expect(labels[`${r}.rule`]).toBe(
      'Host(`k3x9a0b2c4.swiftor.io`) && (Path(`/manage`) || PathPrefix(`/manage/`))',
    );
    expect(labels[`${r}.priority`]).toBe('207');
    expect(labels[`${r}.middlewares`]).toBe(
      'swiftor-auth@file,vm-k3x9a0b2c4-r-manage-slash,vm-k3x9a0b2c4-r-manage-strip',
    );
    expect(labels['traefik.http.services.vm-k3x9a0b2c4-r-manage.loadbalancer.server.port']).toBe(
      '8081',
    );
    expect(
      labels['traefik.http.middlewares.vm-k3x9a0b2c4-r-manage-strip.stripprefix.prefixes'],
    ).toBe('/manage');
    expect(
      labels['traefik.http.middlewares.vm-k3x9a0b2c4-r-manage-slash.redirectregex.regex'],
    ).toBe('^https?://([^/]+)/manage$');
    expect(
      labels['traefik.http.middlewares.vm-k3x9a0b2c4-r-manage-slash.redirectregex.replacement'],
    ).toBe('https://${1}/manage/');
    expect(endpoints[1]).toEqual({
      kind: 'route',
      name: 'manage',
      port: 8081,
      url: 'https://k3x9a0b2c4.swiftor.io/manage/',
    });
    expectWellFormedRouters(labels);
  });

  it('routes port forwards at flat <name>-<vm-id> hosts when additional_networking is on', () => {
    const ctx = testContext({ portForwards: [{ name: 'blog', port: 4000 }] });
    const { labels, endpoints, problems } = route(
      { image_name: 'x', traefik: { additional_networking: true } },
      ctx,
    );
    expect(problems).toEqual([]);
    expect(labels['traefik.http.routers.vm-k3x9a0b2c4-s-blog.rule']).toBe(
      'Host(`blog-k3x9a0b2c4.swiftor.io`)',
    );
    expect(endpoints[1]?.url).toBe('https://blog-k3x9a0b2c4.swiftor.io/');
    expectWellFormedRouters(labels);
  });

  it('refuses port forwards when additional_networking is off, and bad forward names', () => {
    expect(
      route({ image_name: 'x' }, testContext({ portForwards: [{ name: 'blog', port: 4000 }] }))
        .problems[0]?.field,
    ).toBe('traefik.additional_networking');
    const bad = route(
      { image_name: 'x', traefik: { additional_networking: true } },
      testContext({ portForwards: [{ name: 'Blog.x', port: 1 }] }),
    );
    expect(bad.problems[0]?.field).toBe('portForwards[0].name');
  });

  it('emits only traefik.enable=false when routing is disabled', () => {
    expect(route({ image_name: 'x', traefik: { enable: false } }).labels).toEqual({
      'traefik.enable': 'false',
    });
  });

  it('omits certresolver and domains when certificates are managed elsewhere', () => {
    const ctx = testContext(
      {},
      { traefik: { entrypoint: 'websecure', forwardAuthMiddleware: 'auth@file' } },
    );
    const { labels } = route({ image_name: 'x' }, ctx);
    expect(labels['traefik.http.routers.vm-k3x9a0b2c4.tls']).toBe('true');
    expect(
      Object.keys(labels).some((k) => k.includes('certresolver') || k.includes('domains')),
    ).toBe(false);
  });
});

describe('custom_labels', () => {
  const withLabels = (custom_labels: string[], ctx?: DeployContext) =>
    route({ image_name: 'x', traefik: { custom_labels } }, ctx);

  it('adds own routers, services and middlewares, forcing forward-auth and the entrypoint', () => {
    const { labels, problems } = withLabels([
      'traefik.http.routers.vm-${SWIFTOR_VMID}-api.rule=Host(`${SWIFTOR_VMID}.swiftor.io`) && PathPrefix(`/api`)',
      'traefik.http.routers.vm-${SWIFTOR_VMID}-api.service=vm-${SWIFTOR_VMID}-api',
      'traefik.http.routers.vm-${SWIFTOR_VMID}-api.middlewares=vm-${SWIFTOR_VMID}-hdr',
      'traefik.http.services.vm-${SWIFTOR_VMID}-api.loadbalancer.server.port=9000',
      'traefik.http.middlewares.vm-${SWIFTOR_VMID}-hdr.headers.customrequestheaders.X-App=swiftor',
      'com.example.team=ides',
    ]);
    expect(problems).toEqual([]);
    expect(labels['traefik.http.routers.vm-k3x9a0b2c4-api.middlewares']).toBe(
      'swiftor-auth@file,vm-k3x9a0b2c4-hdr',
    );
    expect(labels['traefik.http.routers.vm-k3x9a0b2c4-api.entrypoints']).toBe('websecure');
    expect(labels['com.example.team']).toBe('ides');
  });

  it('cannot drop forward-auth from the main router, whatever the key case', () => {
    const { labels, problems } = withLabels(['traefik.http.routers.vm-k3x9a0b2c4.MiddleWares=']);
    expect(problems).toEqual([]);
    const keys = Object.keys(labels).filter((k) =>
      k.toLowerCase().endsWith('vm-k3x9a0b2c4.middlewares'),
    );
    expect(keys).toEqual(['traefik.http.routers.vm-k3x9a0b2c4.middlewares']);
    expect(labels['traefik.http.routers.vm-k3x9a0b2c4.middlewares']).toBe('swiftor-auth@file');
  });

  it.each([
    [
      'traefik.http.routers.vm-other123456.rule=Host(`other123456.swiftor.io`)',
      /name "vm-other123456" is outside this VM/,
    ],
    ['traefik.http.routers.vm-k3x9a0b2c40.rule=Host(`x`)', /outside this VM/],
    [
      'traefik.http.routers.vm-k3x9a0b2c4.rule=Host(`other123456.swiftor.io`)',
      /host other123456\.swiftor\.io is not this VM's/,
    ],
    ['traefik.http.routers.vm-k3x9a0b2c4.rule=PathPrefix(`/`)', /must require Host/],
    [
      'traefik.http.routers.vm-k3x9a0b2c4.rule=Host(`k3x9a0b2c4.swiftor.io`) || PathPrefix(`/`)',
      /must require Host/,
    ],
    ['traefik.http.routers.vm-k3x9a0b2c4.rule=HostRegexp(`^.+$`)', /HostRegexp is not allowed/],
    [
      'traefik.http.routers.vm-k3x9a0b2c4.entrypoints=traefik',
      /may only use entrypoint "websecure"/,
    ],
    [
      'traefik.http.routers.vm-k3x9a0b2c4.service=api@internal',
      /must name one of this VM's services/,
    ],
    [
      'traefik.http.routers.vm-k3x9a0b2c4.middlewares=admin-auth@file',
      /uses middleware "admin-auth@file"/,
    ],
    [
      'traefik.http.services.vm-k3x9a0b2c4.loadbalancer.server.url=http://vm-other123456:3000',
      /server URLs could reach other VMs/,
    ],
    [
      'traefik.http.services.vm-k3x9a0b2c4.loadbalancer.servers[0].url=http://x',
      /not allowed on services/,
    ],
    [
      'traefik.http.middlewares.vm-k3x9a0b2c4-a.forwardauth.address=http://evil',
      /not allowed on middlewares/,
    ],
    [
      'traefik.http.middlewares.vm-k3x9a0b2c4-a.basicauth.usersfile=/etc/shadow',
      /not allowed on middlewares/,
    ],
    ['traefik.enable=false', /managed by the platform/],
    ['traefik.swarm.network=ingress', /managed by the platform/],
    ['traefik.docker.network=x', /managed by the platform/],
    ['traefik.tcp.routers.vm-k3x9a0b2c4.rule=HostSNI(`*`)', /TCP\/UDP routing are managed/],
    ['traefik.tls.stores.default.defaultcertificate.certfile=/x', /managed by the platform/],
    ['TRAEFIK.HTTP.ROUTERS.VM-OTHER123456.RULE=Host(`x`)', /outside this VM/],
    ['io.swiftor.owner=bob', /reserved for the platform/],
    ['com.docker.stack.namespace=x', /reserved for Docker/],
  ])('refuses %s', (label, message) => {
    const { problems } = withLabels([label]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.detail).join('\n')).toMatch(message);
    expect(problems[0]?.field).toBe('traefik.custom_labels[0]');
  });

  it('requires a rule and a service on custom routers', () => {
    const { problems } = withLabels(['traefik.http.routers.vm-k3x9a0b2c4-x.priority=5']);
    expect(problems.map((p) => p.detail)).toEqual([
      'router vm-k3x9a0b2c4-x has no rule; add traefik.http.routers.vm-k3x9a0b2c4-x.rule=Host(`k3x9a0b2c4.swiftor.io`)',
      "router vm-k3x9a0b2c4-x must name one of this VM's services with traefik.http.routers.vm-k3x9a0b2c4-x.service (have: vm-k3x9a0b2c4)",
    ]);
  });

  it('lets custom rules use the VM port-forward hosts', () => {
    const ctx = testContext({ portForwards: [{ name: 'blog', port: 4000 }] });
    const { problems } = route(
      {
        image_name: 'x',
        traefik: {
          additional_networking: true,
          custom_labels: [
            'traefik.http.routers.vm-k3x9a0b2c4-s-blog.rule=Host(`blog-k3x9a0b2c4.swiftor.io`) && PathPrefix(`/b`)',
          ],
        },
      },
      ctx,
    );
    expect(problems).toEqual([]);
  });
});

describe('vmIdFromHost', () => {
  it.each([
    ['k3x9a0b2c4.swiftor.io', 'k3x9a0b2c4'],
    ['K3X9A0B2C4.swiftor.io:443', 'k3x9a0b2c4'],
    ['blog-k3x9a0b2c4.swiftor.io', 'k3x9a0b2c4'],
    ['swiftor.io', undefined],
    ['k3x9a0b2c4.evil.io', undefined],
    ['a.b.swiftor.io', undefined],
    ['short.swiftor.io', undefined],
  ])('%s -> %s', (host, vmId) => {
    expect(vmIdFromHost(host, 'swiftor.io')).toBe(vmId);
  });

  it('inverts vmHost and portForwardHost', () => {
    expect(vmIdFromHost(vmHost('k3x9a0b2c4', 'swiftor.io'), 'swiftor.io')).toBe('k3x9a0b2c4');
    expect(vmIdFromHost(portForwardHost('web-2', 'k3x9a0b2c4', 'swiftor.io'), 'swiftor.io')).toBe(
      'k3x9a0b2c4',
    );
  });
});

describe('compilePublishedPorts (ingress ports)', () => {
  it('publishes the entrypoint and each route port once, in host mode', () => {
    const { ports, endpoints } = compilePublishedPorts(
      config({
        image_name: 'x',
        networking: { entrypoint_port: 8443, additional_routes: { a: 8081, b: 8443 } },
      }),
    );
    expect(ports).toEqual([
      { Protocol: 'tcp', TargetPort: 8443, PublishMode: 'host' },
      { Protocol: 'tcp', TargetPort: 8081, PublishMode: 'host' },
    ]);
    expect(endpoints.map((e) => `${e.kind}:${e.name}:${e.port}`)).toEqual([
      'entrypoint:main:8443',
      'route:a:8081',
      'route:b:8443',
    ]);
  });
});
