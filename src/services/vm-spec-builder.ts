/**
 * Turns a VM row into its compiled service: catalog entry + owner + decrypted VM password +
 * port forwards + platform settings. Used by the reconciler (desired spec hash) and by the
 * API (validating a new VM before its row exists).
 */
import type { Catalog } from '../catalog/load-catalog.js';
import { type CompiledService, compileService } from '../compiler/compile-service.js';
import type { PlatformSettings } from '../compiler/deploy-context.js';
import { NotFoundError } from '../domain/errors.js';
import type { PortForwardRecord, UserRecord, VmRecord } from '../domain/records.js';

export interface VmSpecBuilder {
  build(
    vm: Pick<VmRecord, 'id' | 'image' | 'distribution' | 'desktop'>,
    owner: UserRecord,
    forwards: PortForwardRecord[],
  ): CompiledService;
}

export function createVmSpecBuilder(
  catalog: Catalog,
  platform: PlatformSettings,
  openPassword: (sealed: string) => string,
): VmSpecBuilder {
  return {
    build(vm, owner, forwards) {
      const entry = catalog.get(vm.image);
      if (!entry)
        throw new NotFoundError(
          `catalog entry "${vm.image}" does not exist (any more); choose one of ${catalog.entries.map((e) => e.name).join(', ')}`,
        );
      return compileService(entry.config, {
        username: owner.username,
        vmId: vm.id,
        entry: entry.name,
        password: { value: openPassword(owner.vmPasswordSealed), version: owner.vmPasswordVersion },
        ...(vm.distribution ? { distribution: vm.distribution } : {}),
        ...(vm.desktop ? { desktop: vm.desktop } : {}),
        portForwards: forwards.map((f) => ({ name: f.name, port: f.port })),
        platform,
      });
    },
  };
}
