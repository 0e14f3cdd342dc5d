/**
 * `traefik.custom_labels`: raw labels a contributor adds. They may add routers, services and
 * middlewares, but only under the VM's own `vm-<vm-id>` name prefix, only for the VM's own
 * hostnames, only on the configured entrypoint, and always behind forward-auth. Anything
 * that could reach another VM, Traefik internals or files on the Traefik host is refused.
 */
import type { ProblemList } from '../domain/errors.js';
import { decodeTraefikLabels } from './traefik-labels.js';
import { isConfinedToHosts, parseRule } from './traefik-rule.js';

export interface LabelScope {
  vmId: string;
  /** Hostnames the VM owns: `<vm-id>.<domain>` and its port-forward hosts. */
  allowedHosts: ReadonlySet<string>;
  entrypoint: string;
  forwardAuthMiddleware: string;
}

const ROUTER_KEYS =
  /^(rule|priority|middlewares|service|entrypoints|tls|tls\.certresolver|tls\.domains\[\d+\]\.(main|sans))$/;
const SERVICE_KEYS =
  /^loadbalancer\.(server\.(port|scheme)|passhostheader|sticky\.cookie(\.[a-z]+)?|healthcheck\.[a-z]+|responseforwarding\.flushinterval)$/;
const MIDDLEWARE_KEYS =
  /^(headers|stripprefix|stripprefixregex|addprefix|redirectregex|redirectscheme|replacepath|replacepathregex|compress|ratelimit|inflightreq|buffering|retry)(\.[a-z0-9._[\]-]+)?$|^basicauth\.(users|realm|removeheader)$/;

const FIELD = 'traefik.custom_labels';

/** Why a custom label key is refused, or undefined when it is allowed. */
function refuseKey(key: string, vmId: string): string | undefined {
  if (key.startsWith('io.swiftor.')) return 'io.swiftor.* labels are reserved for the platform';
  if (key.startsWith('com.docker.')) return 'com.docker.* labels are reserved for Docker';
  if (!key.startsWith('traefik.')) return undefined;
  const match = /^traefik\.http\.(routers|services|middlewares)\.([^.]+)\.(.+)$/.exec(key);
  if (!match) {
    return 'only traefik.http.routers|services|middlewares.<name>.* labels may be set; traefik.enable, traefik.swarm.*, traefik.docker.*, traefik.tls.* and TCP/UDP routing are managed by the platform';
  }
  const [, kind, name = '', rest = ''] = match;
  const prefix = `vm-${vmId}`;
  if (name !== prefix && !name.startsWith(`${prefix}-`)) {
    return `name "${name}" is outside this VM; use "${prefix}" or "${prefix}-<something>"`;
  }
  const allowed =
    kind === 'routers' ? ROUTER_KEYS : kind === 'services' ? SERVICE_KEYS : MIDDLEWARE_KEYS;
  if (!allowed.test(rest)) {
    return `"${rest}" is not allowed on ${kind}${kind === 'services' ? ' (only loadbalancer.server.port/scheme and load-balancer tuning; server URLs could reach other VMs)' : kind === 'middlewares' ? ' (allowed: headers, stripprefix, addprefix, redirect*, replacepath*, compress, ratelimit, inflightreq, buffering, retry, basicauth.users)' : ''}`;
  }
  return undefined;
}

/** Sets a label, replacing any key that differs only in case (Traefik would read both). */
function setLabel(labels: Record<string, string>, key: string, value: string): void {
  const lower = key.toLowerCase();
  for (const existing of Object.keys(labels)) {
    if (existing.toLowerCase() === lower) delete labels[existing];
  }
  labels[key] = value;
}

/**
 * Merges resolved custom labels over the generated ones and checks the result. Returns the
 * final labels; problems are added to `problems` with the index of the offending label.
 */
export function mergeCustomLabels(
  generated: Record<string, string>,
  customLabels: string[],
  scope: LabelScope,
  problems: ProblemList,
): Record<string, string> {
  const merged = { ...generated };
  const touchedBy = new Map<string, number>();
  customLabels.forEach((label, index) => {
    const eq = label.indexOf('=');
    // Traefik reads label keys case-insensitively, so every check uses the lowercased key.
    const originalKey = label.slice(0, eq);
    const key = originalKey.toLowerCase();
    const value = label.slice(eq + 1);
    const refusal = refuseKey(key, scope.vmId);
    if (refusal) {
      problems.add(`${FIELD}[${index}]`, `${label.slice(0, eq)}: ${refusal}`);
      return;
    }
    setLabel(merged, originalKey, value);
    const routerName = /^traefik\.http\.routers\.([^.]+)\./.exec(key)?.[1];
    if (routerName) touchedBy.set(routerName, index);
  });
  if (customLabels.length > 0) enforceRouterRules(merged, scope, touchedBy, problems);
  return merged;
}

/** Every router, generated or custom, must stay on the VM's hosts and behind forward-auth. */
function enforceRouterRules(
  labels: Record<string, string>,
  scope: LabelScope,
  touchedBy: Map<string, number>,
  problems: ProblemList,
): void {
  const decoded = decodeTraefikLabels(labels);
  for (const [name, router] of Object.entries(decoded.routers)) {
    const index = touchedBy.get(name);
    const field = index === undefined ? FIELD : `${FIELD}[${index}]`;
    const key = `traefik.http.routers.${name}`;
    const rule = router.rule;
    if (!rule) {
      problems.add(
        field,
        `router ${name} has no rule; add ${key}.rule=Host(\`${[...scope.allowedHosts][0]}\`)`,
      );
    } else {
      try {
        if (!isConfinedToHosts(parseRule(rule), scope.allowedHosts)) {
          problems.add(
            field,
            `router ${name}: rule "${rule}" must require Host(\`...\`) of this VM in every branch`,
          );
        }
      } catch (error) {
        problems.add(field, `router ${name}: rule "${rule}": ${(error as Error).message}`);
      }
    }
    const entrypoints = router.entrypoints;
    if (entrypoints !== undefined && entrypoints !== scope.entrypoint) {
      problems.add(
        field,
        `router ${name} may only use entrypoint "${scope.entrypoint}", not "${entrypoints}"`,
      );
    }
    setLabel(labels, `${key}.entrypoints`, scope.entrypoint);
    const middlewares = (router.middlewares ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    for (const middleware of middlewares) {
      if (middleware !== scope.forwardAuthMiddleware && !(middleware in decoded.middlewares)) {
        problems.add(
          field,
          `router ${name} uses middleware "${middleware}", which this VM does not define`,
        );
      }
    }
    const withAuth = [
      scope.forwardAuthMiddleware,
      ...middlewares.filter((m) => m !== scope.forwardAuthMiddleware),
    ];
    setLabel(labels, `${key}.middlewares`, withAuth.join(','));
    const service = router.service;
    if (!service || !(service in decoded.services)) {
      problems.add(
        field,
        `router ${name} must name one of this VM's services with ${key}.service (have: ${Object.keys(decoded.services).join(', ')})`,
      );
    }
  }
}
