/**
 * Deploying one compiled VM: its folders first (Swarm will not create bind sources), then
 * its image (so a missing image is an error in seconds, not Swarm's endless retry), then
 * the service. Shared by `swiftor try` and the control plane.
 */
import type { CompiledService } from '../compiler/compile-service.js';
import type { EnginePort, ObservedService, PullPolicy } from '../domain/engine-port.js';
import type { StoragePort } from '../domain/storage-port.js';
import { type DerivedStatus, deriveVmStatus } from '../domain/vm-status.js';

export type DeployPhase = 'preparing-storage' | 'pulling' | 'creating' | 'starting';

export interface DeployDeps {
  engine: EnginePort;
  storage: StoragePort;
  pullPolicy: PullPolicy;
}

export type PhaseListener = (phase: DeployPhase, detail?: string) => void;

/** Creates the VM's storage, image and service; returns the service id. */
export async function deployVm(
  compiled: CompiledService,
  deps: DeployDeps,
  onPhase: PhaseListener = () => {},
): Promise<string> {
  onPhase('preparing-storage', compiled.directories.map((d) => d.path).join(', '));
  await deps.storage.prepare(compiled.directories);
  const image = compiled.spec.TaskTemplate.ContainerSpec.Image;
  onPhase('pulling', image);
  await deps.engine.ensureImage(image, deps.pullPolicy, (detail) => onPhase('pulling', detail));
  onPhase('creating', compiled.spec.Name);
  const id = await deps.engine.createService(compiled.spec, compiled.secrets);
  onPhase('starting');
  return id;
}

/** Starts a stopped VM; its storage is checked again, since users may have changed it. */
export async function startVm(
  vmId: string,
  compiled: CompiledService,
  deps: DeployDeps,
): Promise<void> {
  await deps.storage.prepare(compiled.directories);
  await deps.engine.scaleService(vmId, 1);
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  onStatus?: (status: DerivedStatus, observed: ObservedService | undefined) => void;
}

/**
 * Polls until the VM is running or in error, reporting each change. Returns the last status
 * and observation; a timeout returns an error status that says so.
 */
export async function waitForVm(
  engine: EnginePort,
  vmId: string,
  options: WaitOptions,
): Promise<{ status: DerivedStatus; observed: ObservedService | undefined }> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    const observed = await engine.inspectService(vmId);
    const status = deriveVmStatus(observed, 'running');
    const key = `${status.status}:${status.reason ?? ''}`;
    if (key !== last) options.onStatus?.(status, observed);
    last = key;
    if (status.status === 'running' || status.status === 'error') return { status, observed };
    if (options.signal?.aborted)
      return { status: { status: 'error', reason: 'interrupted' }, observed };
    if (Date.now() > deadline) {
      return {
        status: {
          status: 'error',
          reason: `not running after ${Math.round(options.timeoutMs / 1000)} s (last: ${status.status}${status.reason ? `, ${status.reason}` : ''})`,
        },
        observed,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
