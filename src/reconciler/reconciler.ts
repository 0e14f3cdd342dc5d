/**
 * Converges Swarm toward the desired state in the store: lock -> snapshot (two engine
 * requests whatever the number of VMs) -> pure plan -> apply, collecting per-VM errors.
 * Triggered by API actions, on an interval, and by whoever calls trigger() (engine events).
 * Stateless across restarts: everything it needs is in the store and in Swarm, and every
 * engine step is idempotent, so a control plane killed at any point converges on restart.
 */

import type { CompiledService } from '../compiler/compile-service.js';
import type { EnginePort, ObservedService, PullPolicy } from '../domain/engine-port.js';
import { EngineUnavailableError, NotFoundError } from '../domain/errors.js';
import type { PortForwardRecord } from '../domain/records.js';
import type { StoragePort } from '../domain/storage-port.js';
import type { Store } from '../domain/store-port.js';
import type { VmStatus } from '../domain/vm-status.js';
import type { Logger } from '../observability/logger.js';
import { deployVm } from '../services/deploy-vm.js';
import type { VmEvents } from '../services/vm-events.js';
import type { VmSpecBuilder } from '../services/vm-spec-builder.js';
import { planReconcile, type ReconcileAction } from './plan-reconcile.js';

/** How soon to look again while a VM is creating, starting, stopping or deleting. */
const FOLLOW_UP_MS = 1000;

export interface ReconcilerDeps {
  store: Store;
  engine: EnginePort;
  storage: StoragePort;
  specs: VmSpecBuilder;
  events: VmEvents;
  log: Logger;
  pullPolicy: PullPolicy;
  orphanGraceMs: number;
  intervalMs: number;
  onPass?: (seconds: number, actions: number) => void;
  now?: () => number;
}

export interface PassResult {
  actions: ReconcileAction[];
  errors: { vmId: string; message: string }[];
}

export class Reconciler {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private followUpTimer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private readonly watching = new AbortController();
  /** The latest observation per VM id, for URLs (published ports) and the API. */
  readonly observed = new Map<string, ObservedService>();

  constructor(private readonly deps: ReconcilerDeps) {}

  start(): void {
    this.stopped = false;
    this.trigger();
    this.timer = setInterval(() => this.trigger(), this.deps.intervalMs);
    this.timer.unref();
    void this.watchEngine();
  }

  /** Engine events trigger passes early; after any disconnect, reconnect and do a full pass. */
  private async watchEngine(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.deps.engine.watch(() => this.trigger(), this.watching.signal);
      } catch (error) {
        this.deps.log.debug('engine event stream ended', { error: (error as Error).message });
      }
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, 2000).unref());
      this.trigger();
    }
  }

  /** Stops scheduling passes and waits for the current one (in-flight creates are left to finish or be redone). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watching.abort();
    clearInterval(this.timer);
    clearTimeout(this.pending);
    clearTimeout(this.followUpTimer);
    await this.running?.catch(() => {});
  }

  /** Asks for a pass soon; bursts of triggers collapse into one pass. */
  trigger(): void {
    if (this.stopped || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (this.running) {
        void this.running.finally(() => this.trigger());
        return;
      }
      this.running = this.runPass()
        .catch((error: unknown) => this.deps.log.warn('reconcile pass failed', { error }))
        .finally(() => {
          this.running = undefined;
        });
    }, 25);
  }

  private followUp(): void {
    if (this.stopped || this.followUpTimer) return;
    this.followUpTimer = setTimeout(() => {
      this.followUpTimer = undefined;
      this.trigger();
    }, FOLLOW_UP_MS);
    this.followUpTimer.unref();
  }

  /** Waits until no create is in flight (tests and graceful shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  async runPass(): Promise<PassResult | undefined> {
    const started = performance.now();
    const result = await this.deps.store.withReconcilerLock(() => this.pass());
    if (result) this.deps.onPass?.((performance.now() - started) / 1000, result.actions.length);
    return result;
  }

  private async pass(): Promise<PassResult> {
    const { store, engine, specs } = this.deps;
    const [vms, observed, users, forwards] = await Promise.all([
      store.listVms(),
      engine.observe(),
      store.listUsers(),
      store.listAllPortForwards(),
    ]);
    this.observed.clear();
    for (const service of observed) this.observed.set(service.vmId, service);
    const usersById = new Map(users.map((u) => [u.id, u]));
    const forwardsByVm = new Map<string, PortForwardRecord[]>();
    for (const forward of forwards)
      forwardsByVm.set(forward.vmId, [...(forwardsByVm.get(forward.vmId) ?? []), forward]);
    // Compiled once per pass: the plan compares the hashes, apply deploys the same specs.
    const compiled = new Map<string, CompiledService>();
    const desired = new Map<string, { specHash: string } | { error: string }>();
    for (const vm of vms) {
      if (vm.desiredState === 'deleted') continue;
      const owner = usersById.get(vm.ownerId);
      try {
        if (!owner) throw new Error(`owner ${vm.ownerId} no longer exists`);
        const service = specs.build(vm, owner, forwardsByVm.get(vm.id) ?? []);
        compiled.set(vm.id, service);
        desired.set(vm.id, { specHash: service.specHash });
      } catch (error) {
        desired.set(vm.id, { error: (error as Error).message });
      }
    }
    const actions = planReconcile({
      vms,
      desired,
      observed,
      inFlight: new Set(this.inFlight.keys()),
      now: (this.deps.now ?? Date.now)(),
      orphanGraceMs: this.deps.orphanGraceMs,
    });
    if (actions.length > 0) this.deps.log.debug('reconcile plan', { actions });
    // While anything is on its way somewhere, look again soon instead of at the interval.
    const transitional = new Set(['creating', 'starting', 'stopping', 'deleting']);
    const recorded = new Map(
      actions.flatMap((a) => (a.kind === 'record' ? [[a.vmId, a.status] as const] : [])),
    );
    if (
      vms.some(
        (vm) => transitional.has(recorded.get(vm.id) ?? vm.status) || vm.desiredState === 'deleted',
      )
    )
      this.followUp();
    const errors: PassResult['errors'] = [];
    for (const action of actions) {
      try {
        await this.apply(action, compiled);
      } catch (error) {
        const message = (error as Error).message;
        errors.push({ vmId: action.vmId, message });
        if (error instanceof EngineUnavailableError) continue;
        this.deps.log.warn('reconcile action failed', { action, error: message });
        if (action.kind !== 'record' && action.kind !== 'remove')
          await this.record(action.vmId, 'error', message);
      }
    }
    return { actions, errors };
  }

  private async record(vmId: string, status: VmStatus, reason: string | null): Promise<void> {
    if (await this.deps.store.recordStatus(vmId, status, reason)) {
      const vm = await this.deps.store.getVm(vmId);
      if (vm) this.deps.events.emit({ type: 'vm.updated', vm });
    }
  }

  private async apply(
    action: ReconcileAction,
    compiledSpecs: Map<string, CompiledService>,
  ): Promise<void> {
    const { store, engine, storage } = this.deps;
    switch (action.kind) {
      case 'record':
        return this.record(action.vmId, action.status, action.reason);
      case 'remove':
        await engine.removeService(action.vmId).catch((error: unknown) => {
          if (!(error instanceof NotFoundError)) throw error;
        });
        if (action.why === 'orphan')
          this.deps.log.info('removed orphaned VM service', { vmId: action.vmId });
        return;
      case 'forget': {
        const vm = await store.getVm(action.vmId);
        if (!vm) return;
        if (action.purge) await storage.purgeVmConfig(vm.ownerUsername, vm.id);
        await store.deleteVm(vm.id);
        this.deps.events.emit({ type: 'vm.deleted', vmId: vm.id, ownerId: vm.ownerId });
        return;
      }
      default: {
        const vm = await store.getVm(action.vmId);
        const compiled = compiledSpecs.get(action.vmId);
        if (!vm || !compiled) return;
        compiled.spec.Mode.Replicated.Replicas = action.replicas;
        if (action.kind === 'create') return this.startCreate(vm.id, compiled);
        if (action.replicas === 1) await storage.prepare(compiled.directories);
        if (action.kind === 'update')
          await engine.updateService(vm.id, compiled.spec, compiled.secrets);
        else await engine.scaleService(vm.id, action.replicas);
      }
    }
  }

  /** Creates run in the background (a pull can take minutes) and are skipped by later passes. */
  private startCreate(vmId: string, compiled: CompiledService): void {
    const { engine, storage, pullPolicy } = this.deps;
    const task = deployVm(compiled, { engine, storage, pullPolicy }, (phase, detail) => {
      if (
        phase === 'pulling' &&
        detail &&
        detail !== compiled.spec.TaskTemplate.ContainerSpec.Image
      )
        return;
      void this.record(
        vmId,
        'creating',
        phase === 'starting' ? null : `${phase.replace('-', ' ')}${detail ? `: ${detail}` : ''}`,
      );
    })
      .then(() =>
        this.record(vmId, compiled.spec.Mode.Replicated.Replicas ? 'starting' : 'stopped', null),
      )
      .catch((error: unknown) => this.record(vmId, 'error', (error as Error).message))
      .finally(() => {
        this.inFlight.delete(vmId);
        this.trigger();
      });
    this.inFlight.set(vmId, task);
  }
}
