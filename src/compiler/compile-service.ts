/**
 * The compiler: ImageConfig + DeployContext -> the exact Docker Engine ServiceSpec Swiftor
 * deploys, plus the host folders and Swarm secrets that must exist first. Pure: no Docker,
 * database, clock, filesystem or environment access, so the same inputs always give the
 * same spec (and the same spec hash).
 */
import { posix } from 'node:path';
import { isApiVersion } from '../domain/api-version.js';
import { GIB, MIB, parseByteSize } from '../domain/byte-size.js';
import { ProblemList } from '../domain/errors.js';
import { isUsername, isVmId, OWNERSHIP_LABELS, serviceNameOf } from '../domain/identifiers.js';
import type { ImageConfig } from '../domain/image-config.js';
import type { Mount, ServiceSpec } from '../domain/service-spec.js';
import type { DeployContext } from './deploy-context.js';
import { compileEnvironment, type RequiredSecret } from './environment.js';
import { compileImageName } from './image-name.js';
import { compilePublishedPorts, compileTraefikRouting, type VmEndpoint } from './routing.js';
import { compileSecurityProfile } from './security-profile.js';
import { computeSpecHash } from './spec-hash.js';
import { compileStorageMounts, type RequiredDirectory } from './storage-mounts.js';

export interface CompiledService {
  spec: ServiceSpec;
  directories: RequiredDirectory[];
  secrets: RequiredSecret[];
  endpoints: VmEndpoint[];
  warnings: string[];
  specHash: string;
}

const SECOND = 1_000_000_000;
const DEFAULT_SHM_BYTES = 64 * MIB;
const WEBTOP_SHM_BYTES = GIB;

function checkContext(ctx: DeployContext, problems: ProblemList): void {
  if (!isUsername(ctx.username)) {
    problems.add(
      'user',
      `"${ctx.username}" is not a valid username: 3-32 characters of a-z, 0-9 and -, starting with a letter`,
    );
  }
  if (!isVmId(ctx.vmId)) {
    problems.add('vm_id', `"${ctx.vmId}" is not a valid VM id: 10-16 characters of a-z and 0-9`);
  }
  if (!posix.isAbsolute(ctx.platform.storageRoot)) {
    problems.add('storage_root', `"${ctx.platform.storageRoot}" must be an absolute path`);
  }
  if (!isApiVersion(ctx.platform.engineApiVersion)) {
    problems.add(
      'engine_api',
      `"${ctx.platform.engineApiVersion}" is not an API version such as 1.45`,
    );
  }
  if (
    !/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(
      ctx.platform.domain,
    )
  ) {
    problems.add(
      'domain',
      `"${ctx.platform.domain}" is not a lowercase domain name such as swiftor.example.com`,
    );
  }
  if (ctx.platform.ingress === 'traefik' && !ctx.platform.network) {
    problems.add('network', 'ingress traefik needs the overlay network Traefik and the VMs share');
  }
}

/** Compiles one VM; throws ValidationError listing every problem, or EngineCapabilityError. */
export function compileService(config: ImageConfig, ctx: DeployContext): CompiledService {
  const problems = new ProblemList();
  checkContext(ctx, problems);
  problems.throwIfAny(`cannot deploy ${ctx.entry}: invalid deploy context`);

  const image = compileImageName(config, ctx, problems);
  const security = compileSecurityProfile(config.security_profile, ctx.platform.engineApiVersion);
  const environment = compileEnvironment(config, ctx, problems);
  const storage = compileStorageMounts(config, ctx, environment.owner, problems);
  const routing =
    ctx.platform.ingress === 'traefik'
      ? { ...compileTraefikRouting(config, ctx, problems), ports: undefined }
      : { labels: {}, ...compilePublishedPorts(config) };
  problems.throwIfAny(`cannot deploy ${ctx.entry}: the image config does not fit this deploy`);

  const warnings = [...environment.warnings, ...storage.warnings];
  if (ctx.platform.ingress === 'ports' && config.traefik.custom_labels.length > 0) {
    warnings.push('traefik.custom_labels: ignored with ingress "ports" (no Traefik)');
  }

  const ownership = {
    [OWNERSHIP_LABELS.managed]: 'true',
    [OWNERSHIP_LABELS.vmId]: ctx.vmId,
    [OWNERSHIP_LABELS.owner]: ctx.username,
  };
  const shmBytes =
    (config.platform?.shm_size !== undefined
      ? parseByteSize(config.platform.shm_size)
      : undefined) ?? (config.is_webtop ? WEBTOP_SHM_BYTES : DEFAULT_SHM_BYTES);
  const shm: Mount = {
    Type: 'tmpfs',
    Target: '/dev/shm',
    TmpfsOptions: { SizeBytes: shmBytes, Mode: 0o1777 },
  };
  const limits = compileLimits(config, ctx);
  const reservations = compileReservations(config);
  const network = ctx.platform.network;

  const spec: ServiceSpec = {
    Name: serviceNameOf(ctx.vmId),
    Labels: { ...ownership, ...routing.labels },
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Labels: { ...ownership },
        Hostname: serviceNameOf(ctx.vmId),
        Env: environment.env,
        Mounts: [...storage.mounts, shm, ...security.mounts],
        Init: config.platform?.init ?? false,
        StopGracePeriod: (config.platform?.stop_grace_seconds ?? 30) * SECOND,
        ...(security.Privileges ? { Privileges: security.Privileges } : {}),
        ...(security.CapabilityAdd ? { CapabilityAdd: security.CapabilityAdd } : {}),
        ...(environment.secretRefs.length ? { Secrets: environment.secretRefs } : {}),
      },
      ...(limits || reservations
        ? {
            Resources: {
              ...(limits ? { Limits: limits } : {}),
              ...(reservations ? { Reservations: reservations } : {}),
            },
          }
        : {}),
      ...(config.platform?.placement?.length
        ? { Placement: { Constraints: config.platform.placement } }
        : {}),
      RestartPolicy: { Condition: 'any', Delay: 5 * SECOND, MaxAttempts: 0 },
      ...(network ? { Networks: [{ Target: network, Aliases: [serviceNameOf(ctx.vmId)] }] } : {}),
      LogDriver: { Name: 'json-file', Options: { 'max-size': '10m', 'max-file': '3' } },
    },
    Mode: { Replicated: { Replicas: 1 } },
    // stop-first: two tasks must never share one /config folder.
    UpdateConfig: { Parallelism: 1, Order: 'stop-first', FailureAction: 'pause' },
    EndpointSpec: { Mode: 'dnsrr', ...(routing.ports ? { Ports: routing.ports } : {}) },
  };
  const specHash = computeSpecHash(spec);
  spec.Labels[OWNERSHIP_LABELS.specHash] = specHash;
  spec.TaskTemplate.ContainerSpec.Labels[OWNERSHIP_LABELS.specHash] = specHash;

  return {
    spec,
    directories: storage.directories,
    secrets: environment.secrets,
    endpoints: routing.endpoints,
    warnings,
    specHash,
  };
}

function compileLimits(config: ImageConfig, ctx: DeployContext) {
  const own = config.platform?.resources;
  const platform = ctx.platform.resources;
  const cpus = own?.cpus ?? platform?.cpus;
  const memory = own?.memory !== undefined ? parseByteSize(own.memory) : platform?.memoryBytes;
  const pids = own?.pids ?? platform?.pids;
  if (cpus === undefined && memory === undefined && pids === undefined) return undefined;
  return {
    ...(cpus !== undefined ? { NanoCPUs: Math.round(cpus * SECOND) } : {}),
    ...(memory !== undefined ? { MemoryBytes: memory } : {}),
    ...(pids !== undefined ? { Pids: pids } : {}),
  };
}

/** Reservations make Swarm place VMs where the resources are free (spreading load across nodes). */
function compileReservations(config: ImageConfig) {
  const own = config.platform?.resources;
  const memory = own?.reserve_memory !== undefined ? parseByteSize(own.reserve_memory) : undefined;
  if (own?.reserve_cpus === undefined && memory === undefined) return undefined;
  return {
    ...(own?.reserve_cpus !== undefined ? { NanoCPUs: Math.round(own.reserve_cpus * SECOND) } : {}),
    ...(memory !== undefined ? { MemoryBytes: memory } : {}),
  };
}
