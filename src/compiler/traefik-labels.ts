/**
 * A typed model of the Traefik dynamic configuration Swiftor puts on a VM service, and the
 * one place that flattens it into Docker labels (as Traefik's EncodeConfiguration does).
 * `decodeTraefikLabels` is the inverse used to prove round trips in tests and to inspect
 * merged custom labels.
 */

export interface HttpRouter {
  rule: string;
  entrypoints: string[];
  priority?: number;
  tls?: { certResolver?: string; domains?: { main: string; sans: string[] }[] };
  middlewares: string[];
  service: string;
}

export type HttpMiddleware =
  | { stripPrefix: { prefixes: string[] } }
  | { redirectRegex: { regex: string; replacement: string; permanent: boolean } };

export interface TraefikModel {
  enable: boolean;
  network?: string;
  routers: Record<string, HttpRouter>;
  services: Record<string, { port: number }>;
  middlewares: Record<string, HttpMiddleware>;
}

/** Flattens the model into `traefik.*` labels. */
export function encodeTraefikLabels(model: TraefikModel): Record<string, string> {
  if (!model.enable) return { 'traefik.enable': 'false' };
  const labels: Record<string, string> = { 'traefik.enable': 'true' };
  if (model.network) labels['traefik.swarm.network'] = model.network;
  for (const [name, router] of Object.entries(model.routers)) {
    const key = `traefik.http.routers.${name}`;
    labels[`${key}.rule`] = router.rule;
    labels[`${key}.entrypoints`] = router.entrypoints.join(',');
    if (router.priority !== undefined) labels[`${key}.priority`] = String(router.priority);
    if (router.tls) {
      labels[`${key}.tls`] = 'true';
      if (router.tls.certResolver) labels[`${key}.tls.certresolver`] = router.tls.certResolver;
      router.tls.domains?.forEach((domain, i) => {
        labels[`${key}.tls.domains[${i}].main`] = domain.main;
        if (domain.sans.length) labels[`${key}.tls.domains[${i}].sans`] = domain.sans.join(',');
      });
    }
    if (router.middlewares.length) labels[`${key}.middlewares`] = router.middlewares.join(',');
    labels[`${key}.service`] = router.service;
  }
  for (const [name, service] of Object.entries(model.services)) {
    labels[`traefik.http.services.${name}.loadbalancer.server.port`] = String(service.port);
  }
  for (const [name, middleware] of Object.entries(model.middlewares)) {
    const key = `traefik.http.middlewares.${name}`;
    if ('stripPrefix' in middleware) {
      labels[`${key}.stripprefix.prefixes`] = middleware.stripPrefix.prefixes.join(',');
    } else {
      const { regex, replacement, permanent } = middleware.redirectRegex;
      labels[`${key}.redirectregex.regex`] = regex;
      labels[`${key}.redirectregex.replacement`] = replacement;
      labels[`${key}.redirectregex.permanent`] = String(permanent);
    }
  }
  return labels;
}

/** Routers, services and middlewares as Traefik reads them from labels (keys lowercased). */
export interface DecodedHttpConfig {
  enable: boolean;
  network: string | undefined;
  routers: Record<string, Record<string, string>>;
  services: Record<string, Record<string, string>>;
  middlewares: Record<string, Record<string, string>>;
}

/** Groups `traefik.http.<kind>.<name>.<rest>` labels by kind and name; ignores other labels. */
export function decodeTraefikLabels(labels: Record<string, string>): DecodedHttpConfig {
  const decoded: DecodedHttpConfig = {
    enable: false,
    network: undefined,
    routers: {},
    services: {},
    middlewares: {},
  };
  for (const [rawKey, value] of Object.entries(labels)) {
    const key = rawKey.toLowerCase();
    if (key === 'traefik.enable') decoded.enable = value === 'true';
    if (key === 'traefik.swarm.network') decoded.network = value;
    const match = /^traefik\.http\.(routers|services|middlewares)\.([^.]+)\.(.+)$/.exec(key);
    if (!match) continue;
    const [, kind, name, rest] = match as unknown as [
      string,
      keyof DecodedHttpConfig,
      string,
      string,
    ];
    const group = decoded[kind] as Record<string, Record<string, string>>;
    group[name] ??= {};
    (group[name] as Record<string, string>)[rest] = value;
  }
  return decoded;
}
