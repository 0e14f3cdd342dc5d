/**
 * A short digest of everything in a ServiceSpec that should cause a redeploy when it changes.
 * The replica count is left out: stopping and starting a VM is not a spec change.
 */
import { createHash } from 'node:crypto';
import { OWNERSHIP_LABELS } from '../domain/identifiers.js';
import type { ServiceSpec } from '../domain/service-spec.js';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function computeSpecHash(spec: ServiceSpec): string {
  const { Mode: _mode, ...rest } = spec;
  const withoutHash = structuredClone(rest);
  delete withoutHash.Labels[OWNERSHIP_LABELS.specHash];
  delete withoutHash.TaskTemplate.ContainerSpec.Labels[OWNERSHIP_LABELS.specHash];
  return createHash('sha256').update(canonicalJson(withoutHash)).digest('hex').slice(0, 16);
}
