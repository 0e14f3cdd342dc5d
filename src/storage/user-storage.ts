/**
 * Per-user storage on the local filesystem (architecture.md, "Storage"). Users are root in
 * their VMs and can plant symlinks anywhere in their storage, so every path is walked one
 * component at a time with lstat: a symlink or non-directory anywhere between the user's
 * area and the target refuses the deploy. Folders are created one level at a time (never
 * `mkdir -p`, which follows symlinks) and chowned with lchown.
 *
 * This runs immediately before every create and start. What it cannot close is the short
 * window between this check and the engine's mount(2) of the bind source; see the note in
 * docs/storage.md.
 */
import { lchown, lstat, mkdir, realpath, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { RequiredDirectory } from '../domain/deploy-requirements.js';
import { StorageMissingError, StorageUnsafeError } from '../domain/errors.js';
import { isUsername, isVmId } from '../domain/identifiers.js';
import type { StoragePort } from '../domain/storage-port.js';

type Walk = { path: string; missingFrom?: number; segments: string[]; base: string };

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export class UserStorage implements StoragePort {
  constructor(
    /** Absolute; the operator's choice, so symlinks above it are trusted. */
    readonly storageRoot: string,
    /** Whether to chown created folders (needs root; off when running unprivileged). */
    private readonly chownCreated = process.getuid?.() === 0,
  ) {
    if (!isAbsolute(storageRoot)) throw new Error(`storage root must be absolute: ${storageRoot}`);
  }

  async prepare(directories: RequiredDirectory[]): Promise<void> {
    // The root is the operator's own folder; users never reach it, so mkdir -p is safe here.
    await mkdir(this.storageRoot, { recursive: true });
    // Check everything first so a refused deploy creates nothing.
    const walks: { dir: RequiredDirectory; walk: Walk }[] = [];
    for (const dir of directories) {
      if (dir.within) walks.push({ dir, walk: await this.walk(dir, dir.within) });
      else await this.checkTrustedPath(dir);
    }
    for (const { dir, walk } of walks) await this.create(dir, walk);
    for (const dir of directories) {
      if (!dir.within && dir.create) await mkdir(dir.path, { recursive: true });
    }
  }

  /** Absolute paths of operator-trusted entries: the operator's own layout, symlinks allowed. */
  private async checkTrustedPath(dir: RequiredDirectory): Promise<void> {
    if (dir.create) return;
    try {
      await realpath(dir.path);
    } catch (error) {
      if (!isMissing(error)) throw error;
      throw new StorageMissingError(
        `${dir.field}: ${dir.path} does not exist on this node (nothing was deployed)`,
      );
    }
  }

  /** Lstat every component from the storage root down; returns where creation must start. */
  private async walk(dir: RequiredDirectory, within: string): Promise<Walk> {
    const base = this.storageRoot;
    if (within !== base && !within.startsWith(base + sep)) {
      throw new StorageUnsafeError(
        `${dir.field}: ${within} is not inside the storage root ${base}`,
      );
    }
    const rel = relative(base, dir.path);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new StorageUnsafeError(`${dir.field}: ${dir.path} is outside ${base}`);
    }
    const segments = rel === '' ? [] : rel.split(sep);
    let current = base;
    for (let i = 0; i < segments.length; i++) {
      current = join(current, segments[i] as string);
      let stats: Awaited<ReturnType<typeof lstat>>;
      try {
        stats = await lstat(current);
      } catch (error) {
        if (!isMissing(error)) throw error;
        if (!dir.create) {
          throw new StorageMissingError(
            `${dir.field}: ${dir.path} does not exist; create it first or set required: true so Swiftor creates it (nothing was deployed)`,
          );
        }
        return { path: dir.path, missingFrom: i, segments, base };
      }
      if (stats.isSymbolicLink()) {
        throw new StorageUnsafeError(
          `${dir.field}: ${current} is a symbolic link; user storage may not contain symlinks on a mounted path (remove it from inside the VM)`,
        );
      }
      if (!stats.isDirectory())
        throw new StorageUnsafeError(`${dir.field}: ${current} exists and is not a folder`);
    }
    return { path: dir.path, segments, base };
  }

  private async create(dir: RequiredDirectory, walk: Walk): Promise<void> {
    if (walk.missingFrom === undefined) return;
    let current = walk.base;
    for (let i = 0; i < walk.segments.length; i++) {
      current = join(current, walk.segments[i] as string);
      if (i < walk.missingFrom) continue;
      try {
        await mkdir(current, { mode: 0o755 });
        if (this.chownCreated) await lchown(current, dir.owner.uid, dir.owner.gid);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      // Re-check what is there now: a symlink raced in by a VM is refused here too.
      const stats = await lstat(current);
      if (!stats.isDirectory()) {
        throw new StorageUnsafeError(
          `${dir.field}: ${current} changed while it was being created and is not a folder`,
        );
      }
    }
  }

  async purgeVmConfig(username: string, vmId: string): Promise<void> {
    if (!isUsername(username) || !isVmId(vmId))
      throw new StorageUnsafeError(
        `refusing to purge ${username}/${vmId}: not a valid user or VM id`,
      );
    const target = join(this.storageRoot, username, 'vms', vmId);
    let current = this.storageRoot;
    for (const segment of [username, 'vms', vmId]) {
      current = join(current, segment);
      try {
        const stats = await lstat(current);
        if (stats.isSymbolicLink() || !stats.isDirectory()) {
          throw new StorageUnsafeError(`refusing to purge: ${current} is not a plain folder`);
        }
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
    }
    // fs.rm removes symlinks inside the tree without following them.
    await rm(target, { recursive: true, force: true });
  }
}
