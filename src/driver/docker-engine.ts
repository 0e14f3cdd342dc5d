/**
 * The real driver: EnginePort over the Docker Engine API. The only module (with
 * engine-http.ts) that talks to the engine. Every method maps Engine objects to our own
 * types before returning, and classifies engine errors explicitly.
 */
import type { Readable } from 'node:stream';
import { compareApiVersions } from '../domain/api-version.js';
import type { RequiredSecret } from '../domain/deploy-requirements.js';
import type {
  EngineInfo,
  EnginePort,
  LogLine,
  LogOptions,
  ObservedService,
  PullPolicy,
} from '../domain/engine-port.js';
import {
  ConflictError,
  EngineCapabilityError,
  ImageUnavailableError,
  NotFoundError,
} from '../domain/errors.js';
import { OWNERSHIP_LABELS, serviceNameOf } from '../domain/identifiers.js';
import type { ServiceSpec } from '../domain/service-spec.js';
import { EngineHttp } from './engine-http.js';
import {
  type EngineService,
  type EngineTask,
  isOwnedBy,
  toObservedService,
} from './engine-objects.js';
import { splitImageReference } from './image-reference.js';
import { readJsonLines } from './json-lines.js';
import { demuxLogLines } from './log-demux.js';

/** The newest API version whose fields this driver was written against. */
export const DRIVER_MAX_API = '1.45';
const MIN_API = '1.41';
const OWNED_FILTER = { label: [`${OWNERSHIP_LABELS.managed}=true`] };

export interface DockerEngineOptions {
  /** `unix:///var/run/docker.sock` or `tcp://host:port`. */
  url?: string;
  /** Deadline for each non-streaming request (default 15 s). */
  timeoutMs?: number;
  /** Idle deadline while pulling: no progress for this long fails the pull (default 60 s). */
  pullIdleTimeoutMs?: number;
}

interface VersionJson {
  ApiVersion: string;
  Version: string;
  Components?: { Name: string; Version: string }[];
}

/** Connects, negotiates the API version and checks that Swarm is active on this node. */
export async function connectDockerEngine(
  options: DockerEngineOptions = {},
): Promise<DockerEngine> {
  const http = new EngineHttp({
    url: options.url ?? 'unix:///var/run/docker.sock',
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  const version = await http.call<VersionJson>('GET', '/version', {}, 'the version check', false);
  if (compareApiVersions(version.ApiVersion, MIN_API) < 0) {
    throw new EngineCapabilityError(
      `Swiftor needs Docker Engine API ${MIN_API} (Engine 20.10) or newer; this engine (${version.Version}) speaks ${version.ApiVersion}`,
    );
  }
  const apiVersion =
    compareApiVersions(version.ApiVersion, DRIVER_MAX_API) > 0
      ? DRIVER_MAX_API
      : version.ApiVersion;
  http.setApiVersion(apiVersion);
  const info = await http.call<{ Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }>(
    'GET',
    '/info',
    {},
    'the engine info',
  );
  const runc = version.Components?.find((c) => c.Name === 'runc')?.Version;
  return new DockerEngine(
    http,
    {
      apiVersion,
      maxApiVersion: version.ApiVersion,
      engineVersion: version.Version,
      swarmActive: info.Swarm?.LocalNodeState === 'active' && info.Swarm.ControlAvailable === true,
      ...(runc ? { runcVersion: runc } : {}),
    },
    options.pullIdleTimeoutMs ?? 60_000,
  );
}

export class DockerEngine implements EnginePort {
  constructor(
    readonly http: EngineHttp,
    private readonly engineInfo: EngineInfo,
    private readonly pullIdleTimeoutMs: number,
  ) {}

  async info(): Promise<EngineInfo> {
    return this.engineInfo;
  }

  async ensureImage(
    image: string,
    policy: PullPolicy,
    onProgress?: (detail: string) => void,
  ): Promise<void> {
    const local = await this.http
      .call('GET', `/images/${encodeURIComponent(image)}/json`, {}, `the image check for ${image}`)
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof NotFoundError) return false;
          throw error;
        },
      );
    if (policy === 'never' || (policy === 'if-not-present' && local)) {
      if (!local)
        throw new ImageUnavailableError(
          `image ${image} is not on this node and the pull policy is "never"`,
        );
      return;
    }
    try {
      await this.pull(image, onProgress);
    } catch (error) {
      const message = (error as Error).message;
      if (!local)
        throw new ImageUnavailableError(
          `image ${image} is not on this node and could not be pulled: ${message}`,
          message,
        );
      onProgress?.(`pull failed (${message}); using the image already on this node`);
    }
  }

  private async pull(image: string, onProgress?: (detail: string) => void): Promise<void> {
    const controller = new AbortController();
    let idle = setTimeout(
      () => controller.abort(new Error(`no pull progress for ${this.pullIdleTimeoutMs} ms`)),
      this.pullIdleTimeoutMs,
    );
    try {
      const stream = await this.http.stream(
        'POST',
        '/images/create',
        { query: splitImageReference(image), signal: controller.signal },
        `the pull of ${image}`,
      );
      const resetIdle = () => {
        clearTimeout(idle);
        idle = setTimeout(
          () => controller.abort(new Error(`no pull progress for ${this.pullIdleTimeoutMs} ms`)),
          this.pullIdleTimeoutMs,
        );
      };
      type Progress = { status?: string; progress?: string; id?: string; error?: string };
      for await (const event of readJsonLines<Progress>(
        stream as AsyncIterable<Buffer>,
        resetIdle,
      )) {
        if (event.error) throw new Error(event.error);
        onProgress?.([event.id, event.status, event.progress].filter(Boolean).join(' '));
      }
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(idle);
    }
  }

  /** Creates missing secrets and returns the spec with their IDs filled in. */
  private async withSecretIds(spec: ServiceSpec, secrets: RequiredSecret[]): Promise<ServiceSpec> {
    const refs = spec.TaskTemplate.ContainerSpec.Secrets;
    if (!refs?.length) return spec;
    const ids = new Map<string, string>();
    const vmId = spec.Labels[OWNERSHIP_LABELS.vmId] ?? '';
    for (const secret of secrets) {
      try {
        const created = await this.http.call<{ ID: string }>(
          'POST',
          '/secrets/create',
          {
            body: {
              Name: secret.name,
              Data: Buffer.from(secret.data, 'utf8').toString('base64'),
              Labels: { [OWNERSHIP_LABELS.managed]: 'true', [OWNERSHIP_LABELS.vmId]: vmId },
            },
          },
          `creating secret ${secret.name}`,
        );
        ids.set(secret.name, created.ID);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Secret names carry the password version, so an existing one has the same content.
        const existing = await this.http.call<{ ID: string; Spec: { Name: string } }[]>(
          'GET',
          '/secrets',
          { query: { filters: { name: [secret.name] } } },
        );
        const match = existing.find((s) => s.Spec.Name === secret.name);
        if (!match) throw error;
        ids.set(secret.name, match.ID);
      }
    }
    const withIds = structuredClone(spec);
    withIds.TaskTemplate.ContainerSpec.Secrets = refs.map((ref) => {
      const id = ids.get(ref.SecretName);
      if (!id)
        throw new Error(`secret ${ref.SecretName} is referenced by the spec but was not provided`);
      return { ...ref, SecretID: id };
    });
    return withIds;
  }

  async createService(spec: ServiceSpec, secrets: RequiredSecret[]): Promise<string> {
    const vmId = spec.Labels[OWNERSHIP_LABELS.vmId] ?? '';
    const body = await this.withSecretIds(spec, secrets);
    let id: string;
    try {
      id = (
        await this.http.call<{ ID: string }>(
          'POST',
          '/services/create',
          { body },
          `creating service ${spec.Name}`,
        )
      ).ID;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const existing = await this.rawService(spec.Name);
      if (existing && isOwnedBy(existing, vmId)) return existing.ID;
      throw new ConflictError(
        `a service named ${spec.Name} already exists and does not belong to VM ${vmId}`,
      );
    }
    await this.verifySecurityFields(id, spec, true);
    return id;
  }

  /**
   * Engines older than API 1.44 accept Privileges.Seccomp/AppArmor and silently drop them.
   * A VM must never run with a weaker profile than its config says, so compare the read-back.
   */
  private async verifySecurityFields(
    id: string,
    spec: ServiceSpec,
    removeOnMismatch: boolean,
  ): Promise<void> {
    const wanted = spec.TaskTemplate.ContainerSpec;
    if (!wanted.Privileges && !wanted.CapabilityAdd) return;
    const stored = (
      await this.http.call<EngineService>('GET', `/services/${id}`, {}, `reading back ${spec.Name}`)
    ).Spec.TaskTemplate.ContainerSpec;
    const dropped: string[] = [];
    if (
      wanted.Privileges?.Seccomp &&
      stored.Privileges?.Seccomp?.Mode !== wanted.Privileges.Seccomp.Mode
    )
      dropped.push('Privileges.Seccomp');
    if (
      wanted.Privileges?.AppArmor &&
      stored.Privileges?.AppArmor?.Mode !== wanted.Privileges.AppArmor.Mode
    )
      dropped.push('Privileges.AppArmor');
    for (const cap of wanted.CapabilityAdd ?? []) {
      if (!stored.CapabilityAdd?.includes(cap)) dropped.push(`CapabilityAdd ${cap}`);
    }
    if (dropped.length === 0) return;
    if (removeOnMismatch) await this.http.call('DELETE', `/services/${id}`).catch(() => {});
    throw new EngineCapabilityError(
      `the engine (${this.engineInfo.engineVersion}, API ${this.engineInfo.apiVersion}) dropped ${dropped.join(', ')} from ${spec.Name}; the VM's security profile needs Engine 25.0 (API 1.44) or newer. Nothing was left running.`,
    );
  }

  private async rawService(name: string): Promise<EngineService | undefined> {
    try {
      return await this.http.call<EngineService>(
        'GET',
        `/services/${encodeURIComponent(name)}`,
        {},
        `inspecting ${name}`,
      );
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  private async ownedService(vmId: string): Promise<EngineService> {
    const service = await this.rawService(serviceNameOf(vmId));
    if (!service || !isOwnedBy(service, vmId)) throw new NotFoundError(`VM ${vmId} has no service`);
    return service;
  }

  /** Read-modify-write with the version index read just before; retried when Swarm says "out of sequence". */
  private async updateWith(
    vmId: string,
    change: (current: EngineService) => ServiceSpec,
  ): Promise<EngineService> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.ownedService(vmId);
      const spec = change(current);
      try {
        await this.http.call(
          'POST',
          `/services/${current.ID}/update`,
          { query: { version: current.Version.Index }, body: spec },
          `updating ${current.Spec.Name}`,
        );
        return current;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 5) throw error;
      }
    }
  }

  async updateService(vmId: string, spec: ServiceSpec, secrets: RequiredSecret[]): Promise<void> {
    const body = await this.withSecretIds(spec, secrets);
    const current = await this.updateWith(vmId, () => body);
    await this.verifySecurityFields(current.ID, spec, false);
  }

  async scaleService(vmId: string, replicas: 0 | 1): Promise<void> {
    await this.updateWith(vmId, (current) => ({
      ...current.Spec,
      Mode: { Replicated: { Replicas: replicas } },
    }));
  }

  async restartService(vmId: string): Promise<void> {
    await this.updateWith(vmId, (current) => ({
      ...current.Spec,
      TaskTemplate: {
        ...current.Spec.TaskTemplate,
        ForceUpdate: (current.Spec.TaskTemplate.ForceUpdate ?? 0) + 1,
      },
    }));
  }

  async removeService(vmId: string): Promise<void> {
    const service = await this.ownedService(vmId);
    await this.http.call('DELETE', `/services/${service.ID}`, {}, `removing ${service.Spec.Name}`);
    void this.removeSecretsOf(vmId);
  }

  /**
   * A secret stays "in use" until the removed service's container is gone (up to its stop
   * grace period), so this retries in the background; the reconciler collects leftovers.
   */
  private async removeSecretsOf(vmId: string, deadline = Date.now() + 60_000): Promise<void> {
    const filters = { label: [`${OWNERSHIP_LABELS.vmId}=${vmId}`] };
    const secrets = await this.http
      .call<{ ID: string }[]>('GET', '/secrets', { query: { filters } })
      .catch(() => []);
    let remaining = 0;
    for (const secret of secrets) {
      await this.http.call('DELETE', `/secrets/${secret.ID}`).catch(() => remaining++);
    }
    if (remaining > 0 && Date.now() < deadline) {
      setTimeout(() => void this.removeSecretsOf(vmId, deadline), 2000).unref();
    }
  }

  async inspectService(vmId: string): Promise<ObservedService | undefined> {
    const service = await this.rawService(serviceNameOf(vmId));
    if (!service || !isOwnedBy(service, vmId)) return undefined;
    const tasks = await this.http.call<EngineTask[]>(
      'GET',
      '/tasks',
      { query: { filters: { service: [service.ID] } } },
      `listing tasks of ${service.Spec.Name}`,
    );
    return toObservedService(service, tasks);
  }

  async observe(): Promise<ObservedService[]> {
    const [services, tasks] = await Promise.all([
      this.http.call<EngineService[]>(
        'GET',
        '/services',
        { query: { filters: OWNED_FILTER, status: true } },
        'listing VM services',
      ),
      this.http.call<EngineTask[]>(
        'GET',
        '/tasks',
        { query: { filters: OWNED_FILTER } },
        'listing VM tasks',
      ),
    ]);
    return services.map((service) => toObservedService(service, tasks));
  }

  async watch(onChange: () => void, signal: AbortSignal): Promise<void> {
    const stream = await this.http.stream(
      'GET',
      '/events',
      { query: { filters: { type: ['service', 'container'] } }, signal },
      'watching engine events',
    );
    type EngineEvent = { Type?: string; Actor?: { Attributes?: Record<string, string> } };
    try {
      for await (const event of readJsonLines<EngineEvent>(stream as AsyncIterable<Buffer>)) {
        const attributes = event.Actor?.Attributes ?? {};
        const ours =
          event.Type === 'service'
            ? (attributes.name ?? '').startsWith('vm-')
            : attributes[OWNERSHIP_LABELS.managed] === 'true';
        if (ours) onChange();
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      stream.destroy();
    }
  }

  async *logs(vmId: string, options: LogOptions): AsyncIterable<LogLine> {
    const service = await this.ownedService(vmId);
    const stream: Readable = await this.http.stream(
      'GET',
      `/services/${service.ID}/logs`,
      {
        query: {
          stdout: true,
          stderr: true,
          follow: options.follow,
          timestamps: options.timestamps,
          tail: options.tail ?? 'all',
        },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      `reading logs of ${service.Spec.Name}`,
    );
    try {
      yield* demuxLogLines(stream as AsyncIterable<Buffer>, options.timestamps);
    } catch (error) {
      if (!options.signal?.aborted) throw error;
    } finally {
      stream.destroy();
    }
  }
}
