import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequiredDirectory } from '../domain/deploy-requirements.js';
import { StorageMissingError, StorageUnsafeError } from '../domain/errors.js';
import { UserStorage } from './user-storage.js';

const isRoot = process.getuid?.() === 0;
let root: string;
let outside: string;
let storage: UserStorage;

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), 'swiftor-storage-'));
  root = join(base, 'storage');
  outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  storage = new UserStorage(root);
});

afterEach(async () => {
  await rm(join(root, '..'), { recursive: true, force: true });
});

const owner = { uid: 4321, gid: 4322 };
function dirs(...paths: [string, boolean?][]): RequiredDirectory[] {
  return paths.map(([path, create = true]) => ({
    path: join(root, path),
    create,
    within: join(root, 'alice'),
    owner,
    field: `f:${path}`,
  }));
}
const vmAndData = () => dirs(['alice/vms/k3x9a0b2c4'], ['alice/data/coder']);

describe('UserStorage.prepare', () => {
  it('creates the VM folder and volume folders, owned by the VM user', async () => {
    await storage.prepare(vmAndData());
    for (const path of [
      'alice',
      'alice/vms',
      'alice/vms/k3x9a0b2c4',
      'alice/data',
      'alice/data/coder',
    ]) {
      const stats = await stat(join(root, path));
      expect(stats.isDirectory()).toBe(true);
      if (isRoot) expect([stats.uid, stats.gid]).toEqual([4321, 4322]);
    }
  });

  it('is idempotent and leaves existing folders and files alone', async () => {
    await storage.prepare(vmAndData());
    await writeFile(join(root, 'alice/data/coder/keep.txt'), 'x');
    await storage.prepare(vmAndData());
    expect(await readdir(join(root, 'alice/data/coder'))).toEqual(['keep.txt']);
  });

  it('fails before creating anything when a required: false folder is missing', async () => {
    const request = [...dirs(['alice/vms/k3x9a0b2c4']), ...dirs(['alice/shared', false])];
    await expect(storage.prepare(request)).rejects.toThrow(StorageMissingError);
    await expect(storage.prepare(request)).rejects.toThrow(
      /alice\/shared does not exist; create it first or set required: true/,
    );
    expect(await readdir(root)).toEqual([]);
  });

  it('accepts an existing required: false folder', async () => {
    await mkdir(join(root, 'alice/shared'), { recursive: true });
    await expect(storage.prepare(dirs(['alice/shared', false]))).resolves.toBeUndefined();
  });

  // A symlink planted at each component of the bind sources, pointing outside the area.
  it.each(['alice', 'alice/vms', 'alice/vms/k3x9a0b2c4', 'alice/data', 'alice/data/coder'])(
    'refuses a symlink planted at %s and creates nothing outside',
    async (planted) => {
      const parent = join(root, planted, '..');
      await mkdir(parent, { recursive: true });
      await symlink(outside, join(root, planted));
      await expect(storage.prepare(vmAndData())).rejects.toThrow(StorageUnsafeError);
      await expect(storage.prepare(vmAndData())).rejects.toThrow(
        `${join(root, planted)} is a symbolic link`,
      );
      expect(await readdir(outside)).toEqual([]);
    },
  );

  it('refuses a symlink even when it points inside the user area', async () => {
    await mkdir(join(root, 'alice/real'), { recursive: true });
    await symlink(join(root, 'alice/real'), join(root, 'alice/data'));
    await expect(storage.prepare(vmAndData())).rejects.toThrow(/alice\/data is a symbolic link/);
  });

  it('refuses a file where a folder belongs', async () => {
    await mkdir(join(root, 'alice'), { recursive: true });
    await writeFile(join(root, 'alice/data'), 'not a dir');
    await expect(storage.prepare(vmAndData())).rejects.toThrow(
      /alice\/data exists and is not a folder/,
    );
  });

  it('catches a symlink swapped in after an earlier successful prepare (checked again at every start)', async () => {
    await storage.prepare(vmAndData());
    await rm(join(root, 'alice/data'), { recursive: true });
    await symlink(outside, join(root, 'alice/data'));
    await expect(storage.prepare(vmAndData())).rejects.toThrow(StorageUnsafeError);
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses paths outside the storage root', async () => {
    const traversal: RequiredDirectory = {
      path: join(root, '../outside/x'),
      create: true,
      within: join(root, 'alice'),
      owner,
      field: 'v',
    };
    await expect(storage.prepare([traversal])).rejects.toThrow(StorageUnsafeError);
    const badArea: RequiredDirectory = {
      path: join(outside, 'x'),
      create: true,
      within: outside,
      owner,
      field: 'v',
    };
    await expect(storage.prepare([badArea])).rejects.toThrow(/not inside the storage root/);
  });

  it('lets trusted absolute paths use the operator layout, but they must exist unless created', async () => {
    const trusted: RequiredDirectory = {
      path: join(outside, 'fonts'),
      create: false,
      owner,
      field: 'fonts',
    };
    await expect(storage.prepare([trusted])).rejects.toThrow(StorageMissingError);
    await mkdir(join(outside, 'fonts'));
    await expect(storage.prepare([trusted])).resolves.toBeUndefined();
  });
});

describe('UserStorage.purgeVmConfig', () => {
  it("removes only the VM's config folder and never shared storage", async () => {
    await storage.prepare([...vmAndData(), ...dirs(['alice/vms/otherotherx'])]);
    await writeFile(join(root, 'alice/vms/k3x9a0b2c4/settings.json'), '{}');
    await writeFile(join(root, 'alice/data/coder/project.txt'), 'keep');
    await storage.purgeVmConfig('alice', 'k3x9a0b2c4');
    expect(await readdir(join(root, 'alice/vms'))).toEqual(['otherotherx']);
    expect(await readdir(join(root, 'alice/data/coder'))).toEqual(['project.txt']);
  });

  it('removes symlinks inside the config folder without following them', async () => {
    await storage.prepare(vmAndData());
    await writeFile(join(outside, 'precious'), 'keep');
    await symlink(outside, join(root, 'alice/vms/k3x9a0b2c4/link'));
    await storage.purgeVmConfig('alice', 'k3x9a0b2c4');
    expect(await readdir(outside)).toEqual(['precious']);
  });

  it('refuses when a component of the path is a symlink', async () => {
    await mkdir(join(root, 'alice'), { recursive: true });
    await mkdir(join(outside, 'k3x9a0b2c4'));
    await writeFile(join(outside, 'k3x9a0b2c4/precious'), 'keep');
    await symlink(outside, join(root, 'alice/vms'));
    await expect(storage.purgeVmConfig('alice', 'k3x9a0b2c4')).rejects.toThrow(StorageUnsafeError);
    expect(await readdir(join(outside, 'k3x9a0b2c4'))).toEqual(['precious']);
  });

  it('does nothing for a VM that has no folder, and refuses bad ids', async () => {
    await expect(storage.purgeVmConfig('alice', 'k3x9a0b2c4')).resolves.toBeUndefined();
    await expect(storage.purgeVmConfig('alice', '../../etc')).rejects.toThrow(StorageUnsafeError);
  });
});
