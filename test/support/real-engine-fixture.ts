/** Builds compiled VMs of the local test image for tests against the real engine. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileService } from '../../src/compiler/compile-service.js';
import type { DeployContext } from '../../src/compiler/deploy-context.js';
import type { ImageConfigInput } from '../../src/domain/image-config.js';
import { connectDockerEngine, type DockerEngine } from '../../src/driver/docker-engine.js';
import { UserStorage } from '../../src/storage/user-storage.js';
import { config, testContext } from './deploy-context.js';

export const TEST_IMAGE_CONFIG: ImageConfigInput = {
  image_prefix: '',
  image_name: 'swiftor-test/httpd',
  image_tag: 'latest',
};

/**
 * Runs httpd after printing a line, so logs have something to show. A shell that traps
 * SIGTERM stays PID 1: busybox httpd as PID 1 would ignore SIGTERM and make every stop wait
 * the whole grace period.
 */
export function echoThenServe(vmId: string): string[] {
  return [
    'sh',
    '-c',
    `trap 'exit 0' TERM; echo hello from ${vmId}; httpd -f -p 3000 -h /www & wait`,
  ];
}

export interface RealEngineSetup {
  engine: DockerEngine;
  storage: UserStorage;
  storageRoot: string;
  context(vmId: string, platform?: Partial<DeployContext['platform']>): DeployContext;
  compile(
    vmId: string,
    input?: Partial<ImageConfigInput>,
    platform?: Partial<DeployContext['platform']>,
  ): ReturnType<typeof compileService>;
  newVmId(): string;
}

export async function realEngineSetup(runPrefix: string): Promise<RealEngineSetup> {
  const engine = await connectDockerEngine();
  const info = await engine.info();
  const storageRoot = await mkdtemp(join(tmpdir(), 'swiftor-it-storage-'));
  let counter = 0;
  const context = (vmId: string, platform: Partial<DeployContext['platform']> = {}) =>
    testContext(
      { vmId },
      {
        ingress: 'ports',
        network: undefined,
        storageRoot,
        engineApiVersion: info.apiVersion,
        ...platform,
      },
    );
  return {
    engine,
    storage: new UserStorage(storageRoot),
    storageRoot,
    context,
    compile: (vmId, input = {}, platform = {}) => {
      const compiled = compileService(
        config({ ...TEST_IMAGE_CONFIG, ...input } as ImageConfigInput),
        context(vmId, platform),
      );
      compiled.spec.TaskTemplate.ContainerSpec.Command = echoThenServe(vmId);
      return compiled;
    },
    newVmId: () =>
      `${runPrefix}${(++counter).toString(36).padStart(4, '0')}${Math.random().toString(36).slice(2, 6)}`.slice(
        0,
        16,
      ),
  };
}

/** Removes every service this run created (by VM id prefix). */
export async function removeRunServices(engine: DockerEngine, runPrefix: string): Promise<void> {
  for (const service of await engine.observe()) {
    if (service.vmId.startsWith(runPrefix))
      await engine.removeService(service.vmId).catch(() => {});
  }
}
