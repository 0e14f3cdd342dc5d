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
