/**
 * The narrow port between Swiftor and a Docker Swarm engine. Implementations: the real
 * driver (src/driver/docker-engine.ts) and an in-memory one for unit tests; one contract
 * suite runs against both. Everything returned is our own small types, never client objects.
 */
import type { RequiredSecret } from './deploy-requirements.js';
import type { ServiceSpec } from './service-spec.js';

/** Swarm task states (swarmkit api/types.proto). */
export type TaskState =
  | 'new'
  | 'allocated'
  | 'pending'
  | 'assigned'
  | 'accepted'
  | 'preparing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'complete'
  | 'shutdown'
  | 'failed'
  | 'rejected'
  | 'remove'
  | 'orphaned';

export interface ObservedTask {
  id: string;
  state: TaskState;
  desiredState: TaskState;
  /** Swarm's short status message, e.g. "started". */
  message: string;
  /** Swarm's error, e.g. "No such image: x:latest" or "task: non-zero exit (3)". */
  error?: string;
  exitCode?: number;
  /** ISO timestamps from the engine. */
  createdAt: string;
  updatedAt: string;
  containerId?: string;
  /** Host-mode published ports (ingress `ports`). */
  publishedPorts: { target: number; published: number }[];
}

export interface ObservedService {
  id: string;
  name: string;
  vmId: string;
  owner: string;
  specHash: string;
  replicas: number;
  /** Swarm's version index, sent back on updates. */
  version: number;
  image: string;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  tasks: ObservedTask[];
}

export interface EngineInfo {
  /** Negotiated API version used for every call, e.g. "1.45". */
  apiVersion: string;
  /** Highest API version the engine serves. */
  maxApiVersion: string;
  engineVersion: string;
  swarmActive: boolean;
  runcVersion?: string;
}

export type PullPolicy = 'always' | 'if-not-present' | 'never';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 timestamp when asked for. */
  timestamp?: string;
  text: string;
}

export interface LogOptions {
  follow: boolean;
  tail?: number;
  timestamps: boolean;
  signal?: AbortSignal;
}

export interface EnginePort {
  /** Engine and Swarm facts; the negotiated API version drives the compiler's gating. */
  info(): Promise<EngineInfo>;
  /** Makes `image` available on the node per `policy`; throws ImageUnavailableError. */
  ensureImage(
    image: string,
    policy: PullPolicy,
    onProgress?: (detail: string) => void,
  ): Promise<void>;
  /**
   * Creates the VM's secrets and service. Idempotent per VM id: when the service already
   * exists with our ownership label, returns its id. Reads the service back and, if the
   * engine dropped a security field, removes it again and throws EngineCapabilityError.
   */
  createService(spec: ServiceSpec, secrets: RequiredSecret[]): Promise<string>;
  /** Replaces the spec, sending the version index read just before. */
  updateService(vmId: string, spec: ServiceSpec, secrets: RequiredSecret[]): Promise<void>;
  /** 1 to start, 0 to stop (the container is removed; storage stays). */
  scaleService(vmId: string, replicas: 0 | 1): Promise<void>;
  /** Replaces the running task with a fresh one (Swarm force update); storage stays. */
  restartService(vmId: string): Promise<void>;
  /** Removes the service and its secrets; NotFoundError when there is none. */
  removeService(vmId: string): Promise<void>;
  inspectService(vmId: string): Promise<ObservedService | undefined>;
  /** Every Swiftor-owned service with its tasks: two engine requests whatever the count. */
  observe(): Promise<ObservedService[]>;
  logs(vmId: string, options: LogOptions): AsyncIterable<LogLine>;
  /**
   * Calls `onChange` for every engine event about a Swiftor service or container, until
   * `signal` aborts or the stream ends (the caller reconnects and does a full pass).
   */
  watch(onChange: () => void, signal: AbortSignal): Promise<void>;
}
