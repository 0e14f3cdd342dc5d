/**
 * Bind mounts into the user's storage area (architecture.md, "Storage"):
 * `default_config_path` <- `<storage_root>/<user>/vms/<vm-id>`, relative `host_path`s under
 * `<storage_root>/<user>/`, absolute ones only for operator-trusted entries. This is the
 * lexical half of the safety rule; the storage layer re-checks every path component for
 * symlinks when it creates the folders.
 */
import { posix } from 'node:path';
import type { RequiredDirectory } from '../domain/deploy-requirements.js';
import type { ProblemList } from '../domain/errors.js';
import type { ImageConfig } from '../domain/image-config.js';
import type { Mount } from '../domain/service-spec.js';
import { resolveTemplate } from '../domain/swiftor-variables.js';
import type { DeployContext } from './deploy-context.js';

export type { RequiredDirectory };

export function userStorageArea(storageRoot: string, username: string): string {
  return posix.join(storageRoot, username);
}

export function vmConfigDirectory(storageRoot: string, username: string, vmId: string): string {
  return posix.join(storageRoot, username, 'vms', vmId);
}

export function compileStorageMounts(
  config: ImageConfig,
  ctx: DeployContext,
  owner: { uid: number; gid: number },
  problems: ProblemList,
): { mounts: Mount[]; directories: RequiredDirectory[]; warnings: string[] } {
  const area = userStorageArea(ctx.platform.storageRoot, ctx.username);
  const configDir = vmConfigDirectory(ctx.platform.storageRoot, ctx.username, ctx.vmId);
  const values = { SWIFTOR_USERNAME: ctx.username, SWIFTOR_VMID: ctx.vmId };
  const trusted = ctx.platform.trustedEntries.includes(ctx.entry);
  const warnings: string[] = [];
  const storageMount = (source: string, target: string, name: string): Mount => {
    const mode = ctx.platform.storage;
    if (mode?.kind !== 'nfs') return { Type: 'bind', Source: source, Target: target };
    // Docker's local driver mounts the export on whichever node runs the task.
    const device = posix.join(mode.exportRoot, posix.relative(ctx.platform.storageRoot, source));
    return {
      Type: 'volume',
      Source: `swiftor-${ctx.vmId}-${name}`,
      Target: target,
      VolumeOptions: {
        NoCopy: true,
        Labels: { 'io.swiftor.vm-id': ctx.vmId },
        DriverConfig: {
          Name: 'local',
          Options: {
            type: 'nfs',
            o: `addr=${mode.address},${mode.options ?? 'rw,nfsvers=4.1,hard'}`,
            device: `:${device}`,
          },
        },
      },
    };
  };
  const mounts: Mount[] = [
    storageMount(configDir, resolveTemplate(config.default_config_path, values), 'config'),
  ];
  const directories: RequiredDirectory[] = [
    { path: configDir, create: true, within: area, owner, field: 'default_config_path' },
  ];

  for (const [name, volume] of Object.entries(config.volumes)) {
    const field = `volumes.${name}.host_path`;
    const hostPath = resolveTemplate(volume.host_path, values);
    const target = resolveTemplate(volume.container_path, values);
    let source: string;
    let within: string | undefined = area;
    if (hostPath.startsWith('/')) {
      if (!trusted) {
        problems.add(
          field,
          `absolute host path "${hostPath}" is only allowed in catalog entries the operator trusts; use a path relative to the user's storage, e.g. "data/${name}"`,
        );
        continue;
      }
      source = posix.normalize(hostPath);
      within = undefined;
      warnings.push(`${field}: trusted entry mounts host path ${source}`);
    } else {
      if (hostPath.split('/').includes('..')) {
        problems.add(
          field,
          `"${hostPath}" must not contain ".."; give a folder inside the user's storage, e.g. "data/${name}"`,
        );
        continue;
      }
      source = posix.join(area, hostPath);
      if (source !== area && !source.startsWith(`${area}/`)) {
        problems.add(field, `"${hostPath}" leaves the user's storage area`);
        continue;
      }
      source = source.length > 1 ? source.replace(/\/+$/, '') : source;
    }
    mounts.push(
      within
        ? storageMount(source, target, `v-${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`)
        : { Type: 'bind', Source: source, Target: target },
    );
    directories.push({
      path: source,
      create: volume.required,
      ...(within ? { within } : {}),
      owner,
      field,
    });
  }
  return { mounts, directories, warnings };
}
