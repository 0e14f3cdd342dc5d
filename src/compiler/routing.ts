/**
 * How a VM is reached. Ingress `traefik`: labels from the reference template
 * (docs: shared/reference/traefik.md, "Recommended label template"). Ingress `ports`:
 * the entrypoint and route ports published in host mode on ports the engine picks.
 */
import type { ProblemList } from '../domain/errors.js';
import type { ImageConfig } from '../domain/image-config.js';
import type { PortConfig } from '../domain/service-spec.js';
import { resolveTemplate } from '../domain/swiftor-variables.js';
import { mergeCustomLabels } from './custom-labels.js';
import type { DeployContext } from './deploy-context.js';
import { encodeTraefikLabels, type HttpRouter, type TraefikModel } from './traefik-labels.js';

/** One way into the VM: the entrypoint (`route` null), an additional route or a port forward. */
export interface VmEndpoint {
  kind: 'entrypoint' | 'route' | 'port-forward';
  name: string;
  /** Container port. */
  port: number;
  /** Public URL for ingress `traefik`; for `ports` it is known only once the task runs. */
  url?: string;
}

const MAIN_PRIORITY = 100;
const FORWARD_NAME = /^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/;

export function vmHost(vmId: string, domain: string): string {
  return `${vmId}.${domain}`;
}

/**
 * The VM id a request's host names (the inverse of vmHost and portForwardHost), or undefined
 * for the platform's own host and anything outside the domain. A port is ignored.
 */
export function vmIdFromHost(host: string, domain: string): string | undefined {
  const name = (host.split(':')[0] ?? '').toLowerCase();
  const suffix = `.${domain}`;
  if (!name.endsWith(suffix)) return undefined;
  return /^(?:[a-z0-9-]+-)?([a-z0-9]{10,16})$/.exec(name.slice(0, -suffix.length))?.[1];
}

export function portForwardHost(name: string, vmId: string, domain: string): string {
  return `${name}-${vmId}.${domain}`;
}

export function compileTraefikRouting(
  config: ImageConfig,
  ctx: DeployContext,
  problems: ProblemList,
): { labels: Record<string, string>; endpoints: VmEndpoint[] } {
  const { domain, network, traefik } = ctx.platform;
  const prefix = `vm-${ctx.vmId}`;
  const host = vmHost(ctx.vmId, domain);
  const endpoints: VmEndpoint[] = [
    {
      kind: 'entrypoint',
      name: 'main',
      port: config.networking.entrypoint_port,
      url: `https://${host}/`,
    },
  ];
  if (!config.traefik.enable) {
    const labels = encodeTraefikLabels({
      enable: false,
      routers: {},
      services: {},
      middlewares: {},
    });
    return {
      labels,
      endpoints: [{ kind: 'entrypoint', name: 'main', port: config.networking.entrypoint_port }],
    };
  }
  const model: TraefikModel = {
    enable: true,
    ...(network ? { network } : {}),
    routers: {},
    services: {},
    middlewares: {},
  };
  const router = (
    rule: string,
    priority: number,
    service: string,
    extra: string[] = [],
  ): HttpRouter => ({
    rule,
    entrypoints: [traefik.entrypoint],
    priority,
    tls: traefik.certResolver
      ? { certResolver: traefik.certResolver, domains: [{ main: domain, sans: [`*.${domain}`] }] }
      : {},
    middlewares: [traefik.forwardAuthMiddleware, ...extra],
    service,
  });

  model.routers[prefix] = router(`Host(\`${host}\`)`, MAIN_PRIORITY, prefix);
  model.services[prefix] = { port: config.networking.entrypoint_port };

  for (const [route, port] of Object.entries(config.networking.additional_routes)) {
    const name = `${prefix}-r-${route}`;
    const path = `/${route}`;
    model.routers[name] = router(
      `Host(\`${host}\`) && (Path(\`${path}\`) || PathPrefix(\`${path}/\`))`,
      200 + path.length,
      name,
      [`${name}-slash`, `${name}-strip`],
    );
    model.services[name] = { port };
    model.middlewares[`${name}-slash`] = {
      redirectRegex: {
        regex: `^https?://([^/]+)${path}$`,
        replacement: `https://\${1}${path}/`,
        permanent: false,
      },
    };
    model.middlewares[`${name}-strip`] = { stripPrefix: { prefixes: [path] } };
    endpoints.push({ kind: 'route', name: route, port, url: `https://${host}${path}/` });
  }

  const allowedHosts = new Set([host]);
  const forwards = ctx.portForwards ?? [];
  if (forwards.length > 0 && !config.traefik.additional_networking) {
    problems.add(
      'traefik.additional_networking',
      'port forwards need traefik.additional_networking: true in the image config',
    );
  }
  forwards.forEach((forward, index) => {
    if (!FORWARD_NAME.test(forward.name)) {
      problems.add(
        `portForwards[${index}].name`,
        `"${forward.name}" must be 1-22 characters of a-z, 0-9 and - (it becomes <name>-${ctx.vmId}.${domain})`,
      );
      return;
    }
    const name = `${prefix}-s-${forward.name}`;
    const forwardHost = portForwardHost(forward.name, ctx.vmId, domain);
    allowedHosts.add(forwardHost);
    model.routers[name] = router(`Host(\`${forwardHost}\`)`, MAIN_PRIORITY, name);
    model.services[name] = { port: forward.port };
    endpoints.push({
      kind: 'port-forward',
      name: forward.name,
      port: forward.port,
      url: `https://${forwardHost}/`,
    });
  });

  const custom = config.traefik.custom_labels.map((label) =>
    resolveTemplate(label, { SWIFTOR_USERNAME: ctx.username, SWIFTOR_VMID: ctx.vmId }),
  );
  const labels = mergeCustomLabels(
    encodeTraefikLabels(model),
    custom,
    {
      vmId: ctx.vmId,
      allowedHosts,
      entrypoint: traefik.entrypoint,
      forwardAuthMiddleware: traefik.forwardAuthMiddleware,
    },
    problems,
  );
  return { labels, endpoints };
}

/** Ingress `ports`: publish in host mode; the engine chooses free host ports. */
export function compilePublishedPorts(config: ImageConfig): {
  ports: PortConfig[];
  endpoints: VmEndpoint[];
} {
  const ports: PortConfig[] = [];
  const endpoints: VmEndpoint[] = [];
  const publish = (kind: VmEndpoint['kind'], name: string, port: number) => {
    if (!ports.some((p) => p.TargetPort === port)) {
      ports.push({ Protocol: 'tcp', TargetPort: port, PublishMode: 'host' });
    }
    endpoints.push({ kind, name, port });
  };
  publish('entrypoint', 'main', config.networking.entrypoint_port);
  for (const [route, port] of Object.entries(config.networking.additional_routes))
    publish('route', route, port);
  return { ports, endpoints };
}
