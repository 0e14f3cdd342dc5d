import { describe, expect, it } from 'vitest';
import type { ObservedService, ObservedTask } from '../domain/engine-port.js';
import type { VmRecord } from '../domain/records.js';
import { planReconcile, type Snapshot } from './plan-reconcile.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');

function vm(id: string, patch: Partial<VmRecord> = {}): VmRecord {
  return {
    id,
    ownerId: 'u1',
    ownerUsername: 'alice',
    image: 'code-server',
    distribution: null,
    desktop: null,
    name: null,
    desiredState: 'running',
    status: 'running',
    reason: null,
    purgeOnDelete: false,
    createdAt: '',
    updatedAt: '',
    ...patch,
  };
}
function running(): ObservedTask {
  return {
    id: 't',
    state: 'running',
    desiredState: 'running',
    message: '',
    createdAt: '2026-11-26T11:00:00Z',
    updatedAt: '',
    publishedPorts: [],
  };
}
function service(vmId: string, patch: Partial<ObservedService> = {}): ObservedService {
  return {
    id: `s-${vmId}`,
    name: `vm-${vmId}`,
    vmId,
    owner: 'alice',
    specHash: 'h1',
    replicas: 1,
    version: 1,
    image: 'i',
    labels: {},
    createdAt: '2026-11-26T11:00:00Z',
    updatedAt: '',
    tasks: [running()],
    ...patch,
  };
}
function plan(partial: Partial<Snapshot>) {
  const vms = partial.vms ?? [];
  return planReconcile({
    vms,
    desired: partial.desired ?? new Map(vms.map((v) => [v.id, { specHash: 'h1' }])),
    observed: partial.observed ?? [],
    inFlight: partial.inFlight ?? new Set(),
    now: NOW,
    orphanGraceMs: 120_000,
  });
}

describe('planReconcile', () => {
  it('does nothing when Swarm matches the store', () => {
    expect(plan({ vms: [vm('a')], observed: [service('a')] })).toEqual([]);
  });

  it('creates missing services with the desired replica count', () => {
    expect(
      plan({
        vms: [
          vm('a', { status: 'creating' }),
          vm('b', { desiredState: 'stopped', status: 'stopped' }),
        ],
      }),
    ).toEqual([
      { kind: 'create', vmId: 'a', replicas: 1 },
      { kind: 'create', vmId: 'b', replicas: 0 },
    ]);
  });

  it('updates a service whose spec hash differs, scales one whose replicas differ', () => {
    expect(
      plan({
        vms: [vm('a'), vm('b', { desiredState: 'stopped', status: 'stopped' })],
        observed: [service('a', { specHash: 'old' }), service('b', { tasks: [] })],
      }),
    ).toEqual([
      { kind: 'update', vmId: 'a', replicas: 1 },
      { kind: 'scale', vmId: 'b', replicas: 0 },
    ]);
  });

  it('records observed status changes', () => {
    const crashed = service('a', {
      tasks: [{ ...running(), state: 'rejected', error: 'No such image: x' }],
    });
    expect(plan({ vms: [vm('a')], observed: [crashed] })).toEqual([
      { kind: 'record', vmId: 'a', status: 'error', reason: 'image not found: No such image: x' },
    ]);
  });

  it('removes the service of a deleted VM, then forgets the row (with purge when asked)', () => {
    expect(plan({ vms: [vm('a', { desiredState: 'deleted' })], observed: [service('a')] })).toEqual(
      [
        { kind: 'remove', vmId: 'a', why: 'deleted' },
        { kind: 'record', vmId: 'a', status: 'deleting', reason: null },
      ],
    );
    expect(plan({ vms: [vm('a', { desiredState: 'deleted', purgeOnDelete: true })] })).toEqual([
      { kind: 'forget', vmId: 'a', purge: true },
    ]);
  });

  it('removes owned orphans only after the grace period', () => {
    const young = service('young', { createdAt: new Date(NOW - 60_000).toISOString() });
    const old = service('old', { createdAt: new Date(NOW - 600_000).toISOString() });
    expect(plan({ observed: [young, old] })).toEqual([
      { kind: 'remove', vmId: 'old', why: 'orphan' },
    ]);
  });

  it('leaves in-flight creates alone', () => {
    expect(plan({ vms: [vm('a', { status: 'creating' })], inFlight: new Set(['a']) })).toEqual([]);
    expect(
      plan({
        observed: [service('b', { createdAt: '2020-01-01T00:00:00Z' })],
        inFlight: new Set(['b']),
      }),
    ).toEqual([]);
  });

  it('reports a spec that cannot be built, without touching Swarm', () => {
    expect(
      plan({
        vms: [vm('a')],
        desired: new Map([['a', { error: 'catalog entry "x" does not exist' }]]),
        observed: [service('a')],
      }),
    ).toEqual([
      { kind: 'record', vmId: 'a', status: 'error', reason: 'catalog entry "x" does not exist' },
    ]);
  });

  it('does not retry a VM in error that has no service', () => {
    expect(plan({ vms: [vm('a', { status: 'error', reason: 'image unavailable' })] })).toEqual([]);
  });
});
