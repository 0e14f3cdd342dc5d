/**
 * Container environment: `default_env`, then `additional_env` on top, variables resolved,
 * PUID/PGID/TZ added unless the config sets them. Values carrying the VM password become
 * Swarm secrets read through the linuxserver `FILE__NAME` convention when the image
 * declares support for it (`platform.secret_env_files`), so `docker service inspect`
 * never shows the password.
 */
import { createHash } from 'node:crypto';
import type { RequiredSecret } from '../domain/deploy-requirements.js';
import type { ProblemList } from '../domain/errors.js';
import type { ImageConfig } from '../domain/image-config.js';
import type { SecretReference } from '../domain/service-spec.js';
import { referencedVariables, resolveTemplate } from '../domain/swiftor-variables.js';
import type { DeployContext } from './deploy-context.js';

export type { RequiredSecret };

export interface CompiledEnvironment {
  env: string[];
  secrets: RequiredSecret[];
  secretRefs: SecretReference[];
  /** Owner for created directories: the container user linuxserver images run as. */
  owner: { uid: number; gid: number };
  warnings: string[];
}

/** Secret names change with the password version because Swarm secrets are immutable. */
export function secretNameFor(vmId: string, envName: string, version: number): string {
  const readable = `vm-${vmId}-${envName.toLowerCase().replace(/_/g, '-')}-v${version}`;
  if (readable.length <= 64) return readable;
  const digest = createHash('sha256').update(envName).digest('hex').slice(0, 8);
  return `vm-${vmId}-env-${digest}-v${version}`;
}

export function compileEnvironment(
  config: ImageConfig,
  ctx: DeployContext,
  problems: ProblemList,
): CompiledEnvironment {
  const values = {
    SWIFTOR_USERNAME: ctx.username,
    SWIFTOR_VMID: ctx.vmId,
    SWIFTOR_PASSWORD: ctx.password.value,
  };
  const merged = new Map<string, { template: string; field: string }>();
  for (const source of ['default_env', 'additional_env'] as const) {
    for (const [name, template] of Object.entries(config[source])) {
      merged.set(name, { template, field: `${source}.${name}` });
    }
  }
  const { puid, pgid, tz } = ctx.platform.defaults;
  for (const [name, value] of [
    ['PUID', puid],
    ['PGID', pgid],
    ['TZ', tz],
  ] as const) {
    if (!merged.has(name))
      merged.set(name, { template: String(value), field: 'platform defaults' });
  }

  const result: CompiledEnvironment = {
    env: [],
    secrets: [],
    secretRefs: [],
    owner: { uid: puid, gid: pgid },
    warnings: [],
  };
  for (const [name, { template, field }] of merged) {
    const value = resolveTemplate(template, values);
    if (!referencedVariables(template).includes('SWIFTOR_PASSWORD')) {
      result.env.push(`${name}=${value}`);
      continue;
    }
    if (config.platform?.secret_env_files) {
      const secretName = secretNameFor(ctx.vmId, name, ctx.password.version);
      result.secrets.push({ name: secretName, data: value, envName: name });
      result.secretRefs.push({
        SecretName: secretName,
        File: { Name: secretName, UID: '0', GID: '0', Mode: 0o400 },
      });
      result.env.push(`FILE__${name}=/run/secrets/${secretName}`);
    } else {
      result.env.push(`${name}=${value}`);
      result.warnings.push(
        `${field}: the VM password is passed as a plain environment variable, visible to anyone who can inspect the service; set platform.secret_env_files: true if the image reads FILE__${name} (all linuxserver images do)`,
      );
    }
  }
  result.owner = {
    uid: numericId(merged.get('PUID')?.template, puid, 'PUID', problems),
    gid: numericId(merged.get('PGID')?.template, pgid, 'PGID', problems),
  };
  return result;
}

function numericId(
  template: string | undefined,
  fallback: number,
  name: string,
  problems: ProblemList,
): number {
  if (template === undefined) return fallback;
  if (!/^\d{1,10}$/.test(template)) {
    problems.add(
      `default_env.${name}`,
      `${name} must be a numeric id such as 1000 (it owns the VM's storage folders), not "${template}"`,
    );
    return fallback;
  }
  return Number(template);
}
