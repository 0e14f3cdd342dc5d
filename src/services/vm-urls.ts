/** Where a VM can be opened, from its compiled endpoints and (for ingress `ports`) its task. */
import type { VmEndpoint } from '../compiler/routing.js';
import type { ObservedService } from '../domain/engine-port.js';

export interface VmUrl {
  kind: VmEndpoint['kind'];
  name: string;
  url: string;
}

/** Traefik URLs come from the compiler; published host ports only once the task runs. */
export function vmUrls(
  endpoints: VmEndpoint[],
  observed: ObservedService | undefined,
  publicHost: string,
): VmUrl[] {
  const running = observed?.tasks.find((t) => t.state === 'running');
  return endpoints.flatMap((endpoint) => {
    if (endpoint.url) return [{ kind: endpoint.kind, name: endpoint.name, url: endpoint.url }];
    const published = running?.publishedPorts.find((p) => p.target === endpoint.port)?.published;
    return published
      ? [{ kind: endpoint.kind, name: endpoint.name, url: `http://${publicHost}:${published}/` }]
      : [];
  });
}

export interface UrlSettings {
  ingress: 'traefik' | 'ports';
  domain: string;
  publicHost: string;
}

/**
 * URLs straight from the catalog config, without compiling the whole spec (listing 1,000
 * VMs must stay cheap). Mirrors the routes the compiler emits.
 */
export function vmUrlsFromConfig(
  vmId: string,
  networking: { entrypoint_port: number; additional_routes: Record<string, number> },
  forwards: { name: string; port: number }[],
  settings: UrlSettings,
  observed: ObservedService | undefined,
): VmUrl[] {
  const endpoints: VmEndpoint[] = [
    { kind: 'entrypoint', name: 'main', port: networking.entrypoint_port },
    ...Object.entries(networking.additional_routes).map(([name, port]) => ({
      kind: 'route' as const,
      name,
      port,
    })),
    ...forwards.map((f) => ({ kind: 'port-forward' as const, name: f.name, port: f.port })),
  ];
  if (settings.ingress === 'ports')
    return vmUrls(
      endpoints.filter((e) => e.kind !== 'port-forward'),
      observed,
      settings.publicHost,
    );
  const host = `${vmId}.${settings.domain}`;
  return endpoints.map((e) => ({
    kind: e.kind,
    name: e.name,
    url:
      e.kind === 'entrypoint'
        ? `https://${host}/`
        : e.kind === 'route'
          ? `https://${host}/${e.name}/`
          : `https://${e.name}-${host}/`,
  }));
}
