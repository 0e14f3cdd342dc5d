/**
 * An in-memory EnginePort for unit tests of the logic above the port. It keeps the same
 * contract as the real driver (the shared contract suite proves it) and simulates the Swarm
 * behaviours the platform reacts to: missing images, crash loops, scaling, published ports.
 */
import type { RequiredSecret } from '../domain/deploy-requirements.js';
import type {
  EngineInfo,
  EnginePort,
  LogLine,
  LogOptions,
  ObservedService,
  ObservedTask,
  PullPolicy,
} from '../domain/engine-port.js';
import { ConflictError, ImageUnavailableError, NotFoundError } from '../domain/errors.js';
import { OWNERSHIP_LABELS, serviceNameOf } from '../domain/identifiers.js';
import type { ServiceSpec } from '../domain/service-spec.js';

export interface MemoryEngineOptions {
  /** Images present on the simulated node. */
  images?: Iterable<string>;
  /** Images a pull would find. */
  pullable?: Iterable<string>;
  /** Images whose containers exit at once with this code. */
  crashing?: Map<string, number>;
  apiVersion?: string;
  /** Lines a VM "prints" when it starts. */
  logsFor?: (spec: ServiceSpec) => string[];
}

interface StoredService {
  id: string;
  spec: ServiceSpec;
  version: number;
  createdAt: string;
  updatedAt: string;
  tasks: ObservedTask[];
  secrets: RequiredSecret[];
}

export class MemoryEngine implements EnginePort {
  readonly services = new Map<string, StoredService>();
  readonly images: Set<string>;
  private readonly pullable: Set<string>;
  private counter = 0;
  /** Simulated engine requests, counted as the real driver would make them. */
  requestCount = 0;

  constructor(private readonly options: MemoryEngineOptions = {}) {
    this.images = new Set(options.images ?? []);
    this.pullable = new Set(options.pullable ?? []);
  }

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}${this.counter.toString(36).padStart(8, '0')}`;
  }

  private now(): string {
    // Strictly increasing timestamps keep "newest task" well defined.
    return new Date(Date.UTC(2026, 0, 1) + this.counter++ * 1000).toISOString();
  }

  async info(): Promise<EngineInfo> {
    this.requestCount++;
    const apiVersion = this.options.apiVersion ?? '1.45';
    return { apiVersion, maxApiVersion: apiVersion, engineVersion: 'memory', swarmActive: true };
  }

  async ensureImage(
    image: string,
    policy: PullPolicy,
    onProgress?: (detail: string) => void,
  ): Promise<void> {
    this.requestCount++;
    const local = this.images.has(image);
    if (policy === 'never' || (policy === 'if-not-present' && local)) {
      if (!local)
        throw new ImageUnavailableError(
          `image ${image} is not on this node and the pull policy is "never"`,
        );
      return;
    }
    if (this.pullable.has(image)) {
      onProgress?.(`Pulling ${image}`);
      this.images.add(image);
      return;
    }
    const message = `pull access denied for ${image}, repository does not exist`;
    if (!local)
      throw new ImageUnavailableError(
        `image ${image} is not on this node and could not be pulled: ${message}`,
        message,
      );
    onProgress?.(`pull failed (${message}); using the image already on this node`);
  }

  /** Starts a task the way Swarm would for the current spec. */
  private startTasks(stored: StoredService): void {
    const image = stored.spec.TaskTemplate.ContainerSpec.Image;
    const base = {
      desiredState: 'running' as const,
      publishedPorts: [] as ObservedTask['publishedPorts'],
    };
    const at = this.now();
    if (!this.images.has(image)) {
      stored.tasks.push({
        ...base,
        id: this.nextId('t'),
        state: 'rejected',
        message: 'preparing',
        error: `No such image: ${image}`,
        createdAt: at,
        updatedAt: at,
      });
      return;
    }
    const exitCode = this.options.crashing?.get(image);
    if (exitCode !== undefined) {
      for (let i = 0; i < 2; i++) {
        const t = this.now();
        stored.tasks.push({
          ...base,
          desiredState: 'shutdown',
          id: this.nextId('t'),
          state: 'failed',
          message: 'started',
          error: `task: non-zero exit (${exitCode})`,
          exitCode,
          createdAt: t,
          updatedAt: t,
        });
      }
      return;
    }
    const ports = (stored.spec.EndpointSpec.Ports ?? []).map((p, i) => ({
      target: p.TargetPort,
      published: 30000 + this.counter + i,
    }));
    stored.tasks.push({
      ...base,
      id: this.nextId('t'),
      state: 'running',
      message: 'started',
      createdAt: at,
      updatedAt: at,
      containerId: this.nextId('c'),
      publishedPorts: ports,
    });
  }

  private stopTasks(stored: StoredService): void {
    for (const task of stored.tasks) {
      if (task.desiredState === 'running') {
        task.desiredState = 'shutdown';
        if (task.state === 'running') task.state = 'shutdown';
        task.updatedAt = this.now();
      }
    }
  }

  private owned(vmId: string): StoredService {
    const stored = this.services.get(serviceNameOf(vmId));
    if (!stored || stored.spec.Labels[OWNERSHIP_LABELS.vmId] !== vmId)
      throw new NotFoundError(`VM ${vmId} has no service`);
    return stored;
  }

  async createService(spec: ServiceSpec, secrets: RequiredSecret[]): Promise<string> {
    this.requestCount++;
    const existing = this.services.get(spec.Name);
    const vmId = spec.Labels[OWNERSHIP_LABELS.vmId];
    if (existing) {
      if (existing.spec.Labels[OWNERSHIP_LABELS.vmId] === vmId) return existing.id;
      throw new ConflictError(
        `a service named ${spec.Name} already exists and does not belong to VM ${vmId}`,
      );
    }
    const at = this.now();
    const stored: StoredService = {
      id: this.nextId('s'),
      spec: structuredClone(spec),
      version: 1,
      createdAt: at,
      updatedAt: at,
      tasks: [],
      secrets,
    };
    this.services.set(spec.Name, stored);
    if (spec.Mode.Replicated.Replicas > 0) this.startTasks(stored);
    this.changed();
    return stored.id;
  }

  async updateService(vmId: string, spec: ServiceSpec, secrets: RequiredSecret[]): Promise<void> {
    this.requestCount += 2;
    const stored = this.owned(vmId);
    this.stopTasks(stored);
    stored.spec = structuredClone(spec);
    stored.secrets = secrets;
    stored.version++;
    stored.updatedAt = this.now();
    if (spec.Mode.Replicated.Replicas > 0) this.startTasks(stored);
  }

  async scaleService(vmId: string, replicas: 0 | 1): Promise<void> {
    this.requestCount += 2;
    const stored = this.owned(vmId);
    if (stored.spec.Mode.Replicated.Replicas === replicas) return;
    stored.spec.Mode.Replicated.Replicas = replicas;
    stored.version++;
    stored.updatedAt = this.now();
    if (replicas === 0) this.stopTasks(stored);
    else this.startTasks(stored);
    this.changed();
  }

  async restartService(vmId: string): Promise<void> {
    this.requestCount += 2;
    const stored = this.owned(vmId);
    stored.version++;
    this.stopTasks(stored);
    if (stored.spec.Mode.Replicated.Replicas > 0) this.startTasks(stored);
  }

  async removeService(vmId: string): Promise<void> {
    this.requestCount += 2;
    const stored = this.owned(vmId);
    this.services.delete(stored.spec.Name);
    this.changed();
  }

  private toObserved(stored: StoredService): ObservedService {
    const labels = stored.spec.Labels;
    return {
      id: stored.id,
      name: stored.spec.Name,
      vmId: labels[OWNERSHIP_LABELS.vmId] ?? '',
      owner: labels[OWNERSHIP_LABELS.owner] ?? '',
      specHash: labels[OWNERSHIP_LABELS.specHash] ?? '',
      replicas: stored.spec.Mode.Replicated.Replicas,
      version: stored.version,
      image: stored.spec.TaskTemplate.ContainerSpec.Image,
      labels: { ...labels },
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
      tasks: stored.tasks.map((t) => ({ ...t, publishedPorts: [...t.publishedPorts] })),
    };
  }

  async inspectService(vmId: string): Promise<ObservedService | undefined> {
    this.requestCount += 2;
    const stored = this.services.get(serviceNameOf(vmId));
    return stored && stored.spec.Labels[OWNERSHIP_LABELS.vmId] === vmId
      ? this.toObserved(stored)
      : undefined;
  }

  async observe(): Promise<ObservedService[]> {
    this.requestCount += 2;
    return [...this.services.values()]
      .filter((s) => s.spec.Labels[OWNERSHIP_LABELS.managed] === 'true')
      .map((s) => this.toObserved(s));
  }

  private readonly watchers = new Set<() => void>();

  /** Notifies watchers, as the engine's event stream would after a change. */
  private changed(): void {
    for (const watcher of this.watchers) watcher();
  }

  watch(onChange: () => void, signal: AbortSignal): Promise<void> {
    this.watchers.add(onChange);
    return new Promise((resolve) => {
      const end = () => {
        this.watchers.delete(onChange);
        resolve();
      };
      if (signal.aborted) end();
      else signal.addEventListener('abort', end, { once: true });
    });
  }

  async *logs(vmId: string, options: LogOptions): AsyncIterable<LogLine> {
    const stored = this.owned(vmId);
    const lines = this.options.logsFor?.(stored.spec) ?? [];
    const selected = options.tail === undefined ? lines : lines.slice(-options.tail);
    for (const text of selected) {
      yield {
        stream: 'stdout',
        text,
        ...(options.timestamps ? { timestamp: stored.createdAt } : {}),
      };
    }
  }
}
