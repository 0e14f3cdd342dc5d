/** The port to per-user storage on the engine's node (or a shared filesystem). */
import type { RequiredDirectory } from './deploy-requirements.js';

export interface StoragePort {
  /**
   * Creates the `create` folders (owned by their owner) and checks the `!create` ones exist,
   * refusing any path that a symlink would lead out of the user's area. All checks happen
   * before anything is created, so a refused deploy leaves nothing behind.
   */
  prepare(directories: RequiredDirectory[]): Promise<void>;
  /** Removes `<user>/vms/<vm-id>` only; shared user storage is never touched. */
  purgeVmConfig(username: string, vmId: string): Promise<void>;
}
