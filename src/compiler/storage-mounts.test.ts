import { describe, expect, it } from 'vitest';
import { config, testContext } from '../../test/support/deploy-context.js';
import { ProblemList } from '../domain/errors.js';
import { compileStorageMounts } from './storage-mounts.js';

const owner = { uid: 1000, gid: 1000 };

function mountsFor(
  volumes: Record<string, { host_path: string; container_path: string; required?: boolean }>,
  trusted = false,
) {
  const problems = new ProblemList();
  const ctx = testContext({ entry: 'e' }, { trustedEntries: trusted ? ['e'] : [] });
  const result = compileStorageMounts(config({ image_name: 'x', volumes }), ctx, owner, problems);
  return { ...result, problems: problems.problems };
}

describe('compileStorageMounts', () => {
  it('binds default_config_path to storage/<user>/vms/<vm-id> and creates it', () => {
    const { mounts, directories } = mountsFor({});
    expect(mounts).toEqual([
      { Type: 'bind', Source: '/srv/swiftor/alice/vms/k3x9a0b2c4', Target: '/config' },
    ]);
    expect(directories).toEqual([
      {
        path: '/srv/swiftor/alice/vms/k3x9a0b2c4',
        create: true,
        within: '/srv/swiftor/alice',
        owner,
        field: 'default_config_path',
      },
    ]);
  });

  it.each([
    ['code-server_projects', '/srv/swiftor/alice/code-server_projects'],
    ['data/coder', '/srv/swiftor/alice/data/coder'],
    ['data//coder/', '/srv/swiftor/alice/data/coder'],
    ['./data', '/srv/swiftor/alice/data'],
    ['', '/srv/swiftor/alice'],
    ['per-vm/${SWIFTOR_VMID}', '/srv/swiftor/alice/per-vm/k3x9a0b2c4'],
    ['${SWIFTOR_USERNAME}-data', '/srv/swiftor/alice/alice-data'],
  ])('relative host_path %j resolves under the user storage to %s', (hostPath, source) => {
    const { mounts, problems } = mountsFor({ v: { host_path: hostPath, container_path: '/v' } });
    expect(problems).toEqual([]);
    expect(mounts[1]).toEqual({ Type: 'bind', Source: source, Target: '/v' });
  });

  it.each(['..', '../bob', 'data/../../bob', 'a/../../../etc'])(
    'rejects traversal in %j',
    (hostPath) => {
      const { problems, mounts } = mountsFor({ v: { host_path: hostPath, container_path: '/v' } });
      expect(problems).toEqual([
        {
          field: 'volumes.v.host_path',
          detail: `"${hostPath}" must not contain ".."; give a folder inside the user's storage, e.g. "data/v"`,
        },
      ]);
      expect(mounts).toHaveLength(1);
    },
  );

  it('rejects absolute host paths unless the operator trusts the entry', () => {
    const untrusted = mountsFor({
      sock: { host_path: '/var/run/docker.sock', container_path: '/var/run/docker.sock' },
    });
    expect(untrusted.problems[0]?.detail).toMatch(
      /only allowed in catalog entries the operator trusts/,
    );
    const trusted = mountsFor(
      { fonts: { host_path: '/usr/share/fonts', container_path: '/fonts', required: false } },
      true,
    );
    expect(trusted.problems).toEqual([]);
    expect(trusted.directories[1]).toEqual({
      path: '/usr/share/fonts',
      create: false,
      owner,
      field: 'volumes.fonts.host_path',
    });
    expect(trusted.warnings).toEqual([
      'volumes.fonts.host_path: trusted entry mounts host path /usr/share/fonts',
    ]);
  });

  it('marks required: false folders as must-exist instead of created', () => {
    const { directories } = mountsFor({
      shared: { host_path: 'shared', container_path: '/shared', required: false },
    });
    expect(directories[1]).toMatchObject({
      path: '/srv/swiftor/alice/shared',
      create: false,
      within: '/srv/swiftor/alice',
    });
  });
});

describe('storage mode nfs', () => {
  it('mounts user storage as NFS volumes of the local driver; trusted absolute paths stay binds', () => {
    const problems = new ProblemList();
    const ctx = testContext(
      { entry: 'e' },
      {
        trustedEntries: ['e'],
        storage: { kind: 'nfs', address: '10.0.0.5', exportRoot: '/exports/swiftor' },
      },
    );
    const { mounts, directories } = compileStorageMounts(
      config({
        image_name: 'x',
        volumes: {
          Data_1: { host_path: 'data/coder', container_path: '/data' },
          fonts: { host_path: '/usr/share/fonts', container_path: '/fonts', required: false },
        },
      }),
      ctx,
      owner,
      problems,
    );
    expect(problems.problems).toEqual([]);
    expect(mounts[0]).toEqual({
      Type: 'volume',
      Source: 'swiftor-k3x9a0b2c4-config',
      Target: '/config',
      VolumeOptions: {
        NoCopy: true,
        Labels: { 'io.swiftor.vm-id': 'k3x9a0b2c4' },
        DriverConfig: {
          Name: 'local',
          Options: {
            type: 'nfs',
            o: 'addr=10.0.0.5,rw,nfsvers=4.1,hard',
            device: ':/exports/swiftor/alice/vms/k3x9a0b2c4',
          },
        },
      },
    });
    expect(mounts[1]).toMatchObject({
      Type: 'volume',
      Source: 'swiftor-k3x9a0b2c4-v-data-1',
      VolumeOptions: {
        DriverConfig: { Options: { device: ':/exports/swiftor/alice/data/coder' } },
      },
    });
    expect(mounts[2]).toEqual({ Type: 'bind', Source: '/usr/share/fonts', Target: '/fonts' });
    // The control plane still creates and checks the folders through its own mount of the export.
    expect(directories.map((d) => d.path)).toEqual([
      '/srv/swiftor/alice/vms/k3x9a0b2c4',
      '/srv/swiftor/alice/data/coder',
      '/usr/share/fonts',
    ]);
  });
});
