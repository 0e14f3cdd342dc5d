/**
 * The reconciler's pure step: snapshot in, list of actions out. The plan is data, so tests
 * assert on it, logs show it, and a dry run can print it (Coder's prebuilds reconciler).
 */
import type { ObservedService } from '../domain/engine-port.js';
import type { VmRecord } from '../domain/records.js';
import { deriveVmStatus, type VmStatus } from '../domain/vm-status.js';

export type ReconcileAction =
  | { kind: 'create'; vmId: string; replicas: 0 | 1 }
  | { kind: 'update'; vmId: string; replicas: 0 | 1 }
  | { kind: 'scale'; vmId: string; replicas: 0 | 1 }
  | { kind: 'remove'; vmId: string; why: 'deleted' | 'orphan' }
  | { kind: 'forget'; vmId: string; purge: boolean }
  | { kind: 'record'; vmId: string; status: VmStatus; reason: string | null };

export interface Snapshot {
  vms: VmRecord[];
  /** The compiled spec hash each VM should have, or why it cannot be compiled. */
  desired: Map<string, { specHash: string } | { error: string }>;
  observed: ObservedService[];
  /** VMs whose create is still running from an earlier pass (e.g. a long pull). */
  inFlight: ReadonlySet<string>;
  now: number;
  orphanGraceMs: number;
}

export function planReconcile(snapshot: Snapshot): ReconcileAction[] {
  const actions: ReconcileAction[] = [];
  const observedById = new Map(snapshot.observed.map((s) => [s.vmId, s]));
  const record = (vm: VmRecord, status: VmStatus, reason: string | null) => {
    if (vm.status !== status || vm.reason !== reason)
      actions.push({ kind: 'record', vmId: vm.id, status, reason });
  };

  for (const vm of snapshot.vms) {
    if (snapshot.inFlight.has(vm.id)) continue;
    const observed = observedById.get(vm.id);
    if (vm.desiredState === 'deleted') {
      if (observed) {
        actions.push({ kind: 'remove', vmId: vm.id, why: 'deleted' });
        record(vm, 'deleting', null);
      } else {
        actions.push({ kind: 'forget', vmId: vm.id, purge: vm.purgeOnDelete });
      }
      continue;
    }
    const replicas = vm.desiredState === 'running' ? 1 : 0;
    const desired = snapshot.desired.get(vm.id);
    if (!desired || 'error' in desired) {
      record(vm, 'error', desired && 'error' in desired ? desired.error : 'no spec could be built');
      continue;
    }
    if (!observed) {
      // A VM in error without a service (e.g. its image is missing) waits for the user to
      // start it again instead of being retried every pass.
      if (vm.status === 'error') continue;
      actions.push({ kind: 'create', vmId: vm.id, replicas });
      record(vm, replicas ? 'creating' : 'stopped', null);
      continue;
    }
    if (observed.specHash !== desired.specHash) {
      actions.push({ kind: 'update', vmId: vm.id, replicas });
    } else if (observed.replicas !== replicas) {
      actions.push({ kind: 'scale', vmId: vm.id, replicas });
    }
    const derived = deriveVmStatus(observed, vm.desiredState);
    record(vm, derived.status, derived.reason ?? null);
  }

  const known = new Set(snapshot.vms.map((vm) => vm.id));
  for (const service of snapshot.observed) {
    if (known.has(service.vmId) || snapshot.inFlight.has(service.vmId)) continue;
    // A service without a row may be an in-flight create from another control plane;
    // remove it only once it is older than the grace period.
    if (snapshot.now - Date.parse(service.createdAt) > snapshot.orphanGraceMs) {
      actions.push({ kind: 'remove', vmId: service.vmId, why: 'orphan' });
    }
  }
  return actions;
}
