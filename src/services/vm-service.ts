/**
 * VM use cases for the API: create (quota, catalog and compile checks before any row),
 * list/get (owners see theirs, admins all; another user's VM is a 404), start/stop/restart,
 * delete (optionally purging the VM's config folder), logs, port forwards. Changes are
 * written to the store as desired state; the reconciler makes Swarm follow.
 */
import type { Catalog } from '../catalog/load-catalog.js';
import { PROFILE_DESCRIPTIONS } from '../compiler/security-profile.js';
import type { EnginePort, LogLine, ObservedService } from '../domain/engine-port.js';
import {
  ConflictError,
  NotFoundError,
  QuotaExceededError,
  ValidationError,
} from '../domain/errors.js';
import { newVmId } from '../domain/identifiers.js';
import type { PortForwardRecord, VmRecord } from '../domain/records.js';
import type { Store } from '../domain/store-port.js';
import type { Actor } from './auth-service.js';
import type { VmEvents } from './vm-events.js';
import type { VmSpecBuilder } from './vm-spec-builder.js';
import { type UrlSettings, type VmUrl, vmUrlsFromConfig } from './vm-urls.js';

export interface VmView {
  id: string;
  name: string | null;
  image: string;
  distribution: string | null;
  desktop: string | null;
  owner: string;
  desiredState: VmRecord['desiredState'];
  status: VmRecord['status'];
  reason: string | null;
  urls: VmUrl[];
  securityProfile: { name: string; description: string };
  persistence: string;
  createdAt: string;
  updatedAt: string;
}

export interface VmServiceDeps {
  store: Store;
  catalog: Catalog;
  specs: VmSpecBuilder;
  engine: EnginePort;
  events: VmEvents;
  urls: UrlSettings;
  quotas: { maxVms: number; maxRunningVms: number };
  /** Latest observation per VM (from the reconciler), for published ports. */
  observed: ReadonlyMap<string, ObservedService>;
  reconcile: () => void;
}

export class VmService {
  constructor(private readonly deps: VmServiceDeps) {}

  view(vm: VmRecord, forwards: PortForwardRecord[] = []): VmView {
    const config = this.deps.catalog.get(vm.image)?.config;
    const profile = config?.security_profile ?? 'NONE';
    const persisted = [
      config?.default_config_path ?? '/config',
      ...Object.values(config?.volumes ?? {}).map((v) => v.container_path),
    ];
    return {
      id: vm.id,
      name: vm.name,
      image: vm.image,
      distribution: vm.distribution,
      desktop: vm.desktop,
      owner: vm.ownerUsername,
      desiredState: vm.desiredState,
      status: vm.status,
      reason: vm.reason,
      urls: config
        ? vmUrlsFromConfig(
            vm.id,
            config.networking,
            forwards,
            this.deps.urls,
            this.deps.observed.get(vm.id),
          )
        : [],
      securityProfile: { name: profile, description: PROFILE_DESCRIPTIONS[profile] },
      persistence: `Only ${persisted.join(', ')} ${persisted.length === 1 ? 'survives' : 'survive'} a stop; everything else in the container is reset.`,
      createdAt: vm.createdAt,
      updatedAt: vm.updatedAt,
    };
  }

  /** The VM if the actor may see it; another user's VM is reported as not found. */
  async visible(actor: Actor, id: string): Promise<VmRecord> {
    const vm = await this.deps.store.getVm(id);
    if (
      !vm ||
      vm.desiredState === 'deleted' ||
      (vm.ownerId !== actor.user.id && actor.user.role !== 'admin')
    )
      throw new NotFoundError(`no VM ${id}`);
    return vm;
  }

  private changed(vm: VmRecord | undefined): void {
    if (vm) this.deps.events.emit({ type: 'vm.updated', vm });
    this.deps.reconcile();
  }

  async create(
    actor: Actor,
    input: { image: string; distribution?: string; desktop?: string; name?: string },
  ): Promise<VmView> {
    const { store, catalog, specs } = this.deps;
    const entry = catalog.get(input.image);
    if (!entry) {
      throw new ValidationError('unknown image', [
        {
          field: 'image',
          detail: `"${input.image}" is not in the catalog; choose one of ${catalog.entries.map((e) => e.name).join(', ')}`,
        },
      ]);
    }
    const user = actor.user;
    const maxVms = user.maxVms ?? this.deps.quotas.maxVms;
    const maxRunning = user.maxRunningVms ?? this.deps.quotas.maxRunningVms;
    if ((await store.countVms(user.id)) >= maxVms)
      throw new QuotaExceededError(
        `you already have ${maxVms} VM(s), the most allowed; delete one first`,
      );
    if ((await store.countVms(user.id, true)) >= maxRunning)
      throw new QuotaExceededError(
        `you already have ${maxRunning} running VM(s), the most allowed; stop one first`,
      );
    const id = newVmId();
    // Compile before the row exists: a bad distribution/desktop never leaves a VM behind.
    specs.build(
      {
        id,
        image: entry.name,
        distribution: input.distribution ?? null,
        desktop: input.desktop ?? null,
      },
      user,
      [],
    );
    const vm = await store.createVm({
      id,
      ownerId: user.id,
      image: entry.name,
      distribution: input.distribution ?? null,
      desktop: input.desktop ?? null,
      name: input.name ?? null,
    });
    await store.audit({
      actor: user.username,
      action: 'vm.create',
      target: id,
      detail: { image: entry.name, distribution: input.distribution, desktop: input.desktop },
    });
    this.changed(vm);
    return this.view(vm);
  }

  /** A page of the actor's VMs (all VMs for admins) and the total, for large installations. */
  async page(
    actor: Actor,
    limit: number,
    offset: number,
  ): Promise<{ items: VmView[]; total: number }> {
    const { vms, total } = await this.deps.store.pageVms({
      ...(actor.user.role === 'admin' ? {} : { ownerId: actor.user.id }),
      limit,
      offset,
    });
    return { items: vms.map((vm) => this.view(vm)), total };
  }

  async list(actor: Actor): Promise<VmView[]> {
    const vms = await this.deps.store.listVms(
      actor.user.role === 'admin' ? undefined : actor.user.id,
    );
    return vms.filter((vm) => vm.desiredState !== 'deleted').map((vm) => this.view(vm));
  }

  async get(actor: Actor, id: string): Promise<VmView> {
    const vm = await this.visible(actor, id);
    return this.view(vm, await this.deps.store.listPortForwards(id));
  }

  async setRunning(actor: Actor, id: string, running: boolean): Promise<VmView> {
    const vm = await this.visible(actor, id);
    if (running && vm.desiredState !== 'running') {
      const owner = (await this.deps.store.getUser(vm.ownerId)) ?? actor.user;
      const maxRunning = owner.maxRunningVms ?? this.deps.quotas.maxRunningVms;
      if ((await this.deps.store.countVms(owner.id, true)) >= maxRunning)
        throw new QuotaExceededError(
          `${owner.username} already has ${maxRunning} running VM(s), the most allowed; stop one first`,
        );
    }
    await this.deps.store.setDesiredState(id, running ? 'running' : 'stopped');
    // A VM in error gets a fresh attempt when its owner starts it again.
    await this.deps.store.recordStatus(id, running ? 'starting' : 'stopping', null);
    await this.deps.store.audit({
      actor: actor.user.username,
      action: running ? 'vm.start' : 'vm.stop',
      target: id,
      detail: {},
    });
    const updated = await this.deps.store.getVm(id);
    this.changed(updated);
    return this.view(updated ?? vm);
  }

  async restart(actor: Actor, id: string): Promise<VmView> {
    const vm = await this.visible(actor, id);
    if (vm.desiredState !== 'running')
      throw new ConflictError('the VM is stopped; start it instead');
    await this.deps.engine.restartService(id);
    await this.deps.store.recordStatus(id, 'starting', 'restarting');
    await this.deps.store.audit({
      actor: actor.user.username,
      action: 'vm.restart',
      target: id,
      detail: {},
    });
    const updated = await this.deps.store.getVm(id);
    this.changed(updated);
    return this.view(updated ?? vm);
  }

  async delete(actor: Actor, id: string, purge: boolean): Promise<void> {
    await this.visible(actor, id);
    await this.deps.store.setDesiredState(id, 'deleted', purge);
    await this.deps.store.recordStatus(id, 'deleting', null);
    await this.deps.store.audit({
      actor: actor.user.username,
      action: 'vm.delete',
      target: id,
      detail: { purge },
    });
    this.changed(await this.deps.store.getVm(id));
  }

  async logs(
    actor: Actor,
    id: string,
    options: { follow: boolean; tail?: number; signal?: AbortSignal },
  ): Promise<AsyncIterable<LogLine>> {
    await this.visible(actor, id);
    return this.deps.engine.logs(id, { ...options, timestamps: true });
  }

  async addPortForward(
    actor: Actor,
    id: string,
    input: { name: string; port: number },
  ): Promise<VmView> {
    const vm = await this.visible(actor, id);
    if (!this.deps.catalog.get(vm.image)?.config.traefik.additional_networking) {
      throw new ConflictError(
        `${vm.image} does not allow port forwards (traefik.additional_networking is false)`,
      );
    }
    const forwards = await this.deps.store.listPortForwards(id);
    if (forwards.some((f) => f.name === input.name))
      throw new ConflictError(`port forward ${input.name} already exists`);
    const owner = (await this.deps.store.getUser(vm.ownerId)) ?? actor.user;
    // Compile with the new forward first, so a bad name never reaches the store.
    this.deps.specs.build(vm, owner, [...forwards, { vmId: id, ...input, createdAt: '' }]);
    await this.deps.store.addPortForward({ vmId: id, ...input });
    await this.deps.store.audit({
      actor: actor.user.username,
      action: 'vm.port_forward.add',
      target: id,
      detail: input,
    });
    this.changed(vm);
    return this.view(vm, await this.deps.store.listPortForwards(id));
  }

  async removePortForward(actor: Actor, id: string, name: string): Promise<void> {
    await this.visible(actor, id);
    if (!(await this.deps.store.removePortForward(id, name)))
      throw new NotFoundError(`no port forward ${name}`);
    await this.deps.store.audit({
      actor: actor.user.username,
      action: 'vm.port_forward.remove',
      target: id,
      detail: { name },
    });
    this.changed(await this.deps.store.getVm(id));
  }
}
