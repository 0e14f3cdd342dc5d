/**
 * What `swiftor init` wants to exist, as plain data: the shared network, secrets, Traefik's
 * dynamic configuration, the Traefik service and the control-plane service. Pure; every
 * object carries a hash of itself so a second run can tell "unchanged" from "changed".
 */
import { createHash } from 'node:crypto';
import type { InitConfig } from './init-config.js';

export const INIT_LABEL = 'io.swiftor.init';
export const INIT_HASH_LABEL = 'io.swiftor.init-hash';
export const PLATFORM_LABEL = 'io.swiftor.platform';
export const CONTROL_PLANE_SERVICE = 'swiftor';
export const TRAEFIK_SERVICE = 'swiftor-traefik';
export const CONTROL_PLANE_PORT = 8080;

export interface SecretObject {
  kind: 'secret' | 'config';
  /** Immutable in Swarm: the name carries a content hash, so a change makes a new object. */
  name: string;
  data: string;
  role: string;
}

export interface InitPlan {
  network?: { Name: string; Driver: 'overlay'; Attachable: true; Labels: Record<string, string> };
  objects: SecretObject[];
  services: Record<string, unknown>[];
}

const hash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

function object(kind: SecretObject['kind'], role: string, data: string): SecretObject {
  return { kind, role, data, name: `swiftor-${role}-${hash(data)}` };
}

/** Traefik's file-provider configuration: the forward-auth middleware and the fallback page. */
export function traefikDynamicConfig(config: InitConfig): string {
  const controlPlane = `http://${CONTROL_PLANE_SERVICE}:${CONTROL_PLANE_PORT}`;
  const domain = config.domain.replace(/\./g, '\\\\.');
  return [
    'http:',
    '  middlewares:',
    '    swiftor-auth:',
    '      forwardAuth:',
    `        address: "${controlPlane}/api/v1/auth/forward"`,
    '        trustForwardHeader: true',
    '        authResponseHeaders: ["X-Swiftor-User", "X-Swiftor-Vm"]',
    '  routers:',
    '    swiftor-vm-fallback:',
    `      rule: "HostRegexp(\`^[a-z0-9-]+\\\\.${domain}$\`)"`,
    '      entryPoints: ["websecure"]',
    '      priority: 1',
    '      service: swiftor-control-plane',
    '      tls: {}',
    '  services:',
    '    swiftor-control-plane:',
    '      loadBalancer:',
    `        servers: [{ url: "${controlPlane}" }]`,
    '',
  ].join('\n');
}

export function traefikArgs(config: InitConfig, dynamicFile: string): string[] {
  const acme = config.acme;
  const args = [
    '--providers.swarm=true',
    '--providers.swarm.endpoint=unix:///var/run/docker.sock',
    '--providers.swarm.exposedByDefault=false',
    `--providers.swarm.network=${config.network}`,
    `--providers.swarm.constraints=Label(\`io.swiftor.managed\`,\`true\`) || Label(\`${PLATFORM_LABEL}\`,\`true\`)`,
    `--providers.swarm.refreshSeconds=${config.traefik.refresh_seconds}s`,
    `--providers.file.filename=${dynamicFile}`,
    '--providers.file.watch=true',
    '--entrypoints.web.address=:80',
    '--entrypoints.web.http.redirections.entrypoint.to=websecure',
    '--entrypoints.web.http.redirections.entrypoint.scheme=https',
    '--entrypoints.websecure.address=:443',
    `--entrypoints.websecure.transport.respondingTimeouts.readTimeout=${config.traefik.read_timeout_seconds}s`,
    '--entrypoints.websecure.transport.respondingTimeouts.idleTimeout=3600s',
    '--log.level=INFO',
    '--accesslog=false',
  ];
  if (acme) {
    args.push(
      '--entrypoints.websecure.http.tls.certresolver=le',
      `--entrypoints.websecure.http.tls.domains[0].main=${config.domain}`,
      `--entrypoints.websecure.http.tls.domains[0].sans=*.${config.domain}`,
      `--certificatesresolvers.le.acme.email=${acme.email}`,
      '--certificatesresolvers.le.acme.storage=/data/acme.json',
    );
    if (acme.staging)
      args.push(
        '--certificatesresolvers.le.acme.caserver=https://acme-staging-v02.api.letsencrypt.org/directory',
      );
    if (acme.challenge === 'dns')
      args.push(`--certificatesresolvers.le.acme.dnschallenge.provider=${acme.dns_provider}`);
    else args.push('--certificatesresolvers.le.acme.httpchallenge.entrypoint=web');
  }
  return args;
}

/** The control plane's key: the secret that already exists (kept across runs), or a new value. */
export type SecretKeySource = { existingName: string } | { value: string };

/** The full plan. */
export function planInit(config: InitConfig, secretKey: SecretKeySource): InitPlan {
  const traefikMode = config.ingress === 'traefik';
  const keySecret: SecretObject | undefined =
    'value' in secretKey ? object('secret', 'secret-key', secretKey.value) : undefined;
  const keyName = keySecret?.name ?? ('existingName' in secretKey ? secretKey.existingName : '');
  const dbSecret = config.control_plane.database_url
    ? object('secret', 'database-url', config.control_plane.database_url)
    : undefined;
  const credentials = Object.entries(config.acme?.credentials ?? {}).map(([name, value]) => ({
    name,
    secret: object('secret', `acme-${name.toLowerCase().replace(/_/g, '-')}`, value),
  }));
  const dynamic = object('config', 'traefik-dynamic', traefikDynamicConfig(config));
  const objects = [
    ...(keySecret ? [keySecret] : []),
    ...(dbSecret ? [dbSecret] : []),
    ...(traefikMode ? [...credentials.map((c) => c.secret), dynamic] : []),
  ];

  const secretRef = (name: string, target: string) => ({
    SecretName: name,
    File: { Name: target, UID: '0', GID: '0', Mode: 0o400 },
  });
  const cp = config.control_plane;
  const env: Record<string, string> = {
    SWIFTOR_LISTEN: `0.0.0.0:${CONTROL_PLANE_PORT}`,
    SWIFTOR_DATA_DIR: '/data',
    SWIFTOR_STORAGE_ROOT: cp.storage_root,
    SWIFTOR_DOMAIN: config.domain,
    SWIFTOR_INGRESS: config.ingress,
    SWIFTOR_NETWORK: config.network,
    SWIFTOR_SECRET_KEY_FILE: '/run/secrets/swiftor-secret-key',
    ...(dbSecret ? { DATABASE_URL_FILE: '/run/secrets/swiftor-database-url' } : {}),
    ...(traefikMode ? { SWIFTOR_PUBLIC_URL: `https://${config.domain}` } : {}),
    ...cp.env,
  };
  const controlPlaneLabels: Record<string, string> = {
    [INIT_LABEL]: 'control-plane',
    ...(traefikMode
      ? {
          [PLATFORM_LABEL]: 'true',
          'traefik.enable': 'true',
          'traefik.swarm.network': config.network,
          'traefik.http.routers.swiftor.rule': `Host(\`${config.domain}\`)`,
          'traefik.http.routers.swiftor.entrypoints': 'websecure',
          'traefik.http.routers.swiftor.tls': 'true',
          ...(config.acme ? { 'traefik.http.routers.swiftor.tls.certresolver': 'le' } : {}),
          'traefik.http.routers.swiftor.service': 'swiftor',
          'traefik.http.services.swiftor.loadbalancer.server.port': String(CONTROL_PLANE_PORT),
        }
      : {}),
  };
  const controlPlane = {
    Name: CONTROL_PLANE_SERVICE,
    Labels: controlPlaneLabels,
    TaskTemplate: {
      ContainerSpec: {
        Image: cp.image,
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        Mounts: [
          { Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' },
          { Type: 'bind', Source: cp.data_dir, Target: '/data' },
          // Same path inside and out: the control plane hands these paths to the engine as bind sources.
          { Type: 'bind', Source: cp.storage_root, Target: cp.storage_root },
        ],
        Secrets: [
          secretRef(keyName, 'swiftor-secret-key'),
          ...(dbSecret ? [secretRef(dbSecret.name, 'swiftor-database-url')] : []),
        ],
        StopGracePeriod: 15e9,
      },
      Placement: { Constraints: ['node.role == manager'] },
      RestartPolicy: { Condition: 'any', Delay: 5e9, MaxAttempts: 0 },
      ...(traefikMode
        ? { Networks: [{ Target: config.network, Aliases: [CONTROL_PLANE_SERVICE] }] }
        : {}),
    },
    Mode: { Replicated: { Replicas: cp.replicas } },
    UpdateConfig: {
      Parallelism: 1,
      Order: cp.replicas > 1 ? 'start-first' : 'stop-first',
      FailureAction: 'rollback',
    },
    EndpointSpec: traefikMode
      ? { Mode: 'dnsrr' }
      : {
          Mode: 'dnsrr',
          Ports: [
            {
              Protocol: 'tcp',
              TargetPort: CONTROL_PLANE_PORT,
              PublishedPort: cp.port,
              PublishMode: 'host',
            },
          ],
        },
  };

  const services: Record<string, unknown>[] = [];
  if (traefikMode) {
    const dynamicFile = '/etc/traefik/dynamic/swiftor.yml';
    services.push({
      Name: TRAEFIK_SERVICE,
      Labels: { [INIT_LABEL]: 'traefik' },
      TaskTemplate: {
        ContainerSpec: {
          Image: config.traefik.image,
          Args: traefikArgs(config, dynamicFile),
          Env: credentials.map((c) => `${c.name}_FILE=/run/secrets/${c.secret.name}`),
          Mounts: [
            {
              Type: 'bind',
              Source: '/var/run/docker.sock',
              Target: '/var/run/docker.sock',
              ReadOnly: true,
            },
            { Type: 'volume', Source: 'swiftor-traefik-acme', Target: '/data' },
          ],
          Secrets: credentials.map((c) => secretRef(c.secret.name, c.secret.name)),
          Configs: [
            {
              ConfigName: dynamic.name,
              File: { Name: dynamicFile, UID: '0', GID: '0', Mode: 0o444 },
            },
          ],
        },
        Placement: { Constraints: ['node.role == manager'] },
        RestartPolicy: { Condition: 'any', Delay: 5e9, MaxAttempts: 0 },
        Networks: [{ Target: config.network }],
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: {
        Mode: 'dnsrr',
        Ports: [
          { Protocol: 'tcp', TargetPort: 80, PublishedPort: 80, PublishMode: 'host' },
          { Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'host' },
        ],
      },
    });
  }
  services.push(controlPlane);
  for (const service of services) {
    const labels = service.Labels as Record<string, string>;
    labels[INIT_HASH_LABEL] = hash(service);
  }
  return {
    ...(traefikMode
      ? {
          network: {
            Name: config.network,
            Driver: 'overlay' as const,
            Attachable: true as const,
            Labels: { [INIT_LABEL]: 'network' },
          },
        }
      : {}),
    objects,
    services,
  };
}
