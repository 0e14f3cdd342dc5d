import { describe, expect, it } from 'vitest';
import { config, testContext } from '../../test/support/deploy-context.js';
import { compileService } from '../compiler/compile-service.js';
import type { RequiredDirectory } from '../domain/deploy-requirements.js';
import { ImageUnavailableError, StorageUnsafeError } from '../domain/errors.js';
import type { StoragePort } from '../domain/storage-port.js';
import { MemoryEngine } from '../driver/memory-engine.js';
import { type DeployPhase, deployVm, waitForVm } from './deploy-vm.js';
import { vmUrls } from './vm-urls.js';

const IMAGE = 'swiftor-test/httpd:latest';
const compiled = (image = 'swiftor-test/httpd') =>
  compileService(
    config({
      image_prefix: '',
      image_name: image,
      image_tag: 'latest',
      networking: { additional_routes: { manage: 8081 } },
    }),
    testContext({}, { ingress: 'ports' }),
  );

class RecordingStorage implements StoragePort {
  prepared: RequiredDirectory[] = [];
  constructor(private readonly refuse = false) {}
  async prepare(directories: RequiredDirectory[]) {
    if (this.refuse) throw new StorageUnsafeError('alice/data is a symbolic link');
    this.prepared.push(...directories);
  }
  async purgeVmConfig() {}
}

describe('deployVm', () => {
  it('prepares storage, ensures the image, creates the service, in that order', async () => {
    const engine = new MemoryEngine({ images: [IMAGE] });
    const storage = new RecordingStorage();
    const phases: DeployPhase[] = [];
    const id = await deployVm(compiled(), { engine, storage, pullPolicy: 'if-not-present' }, (p) =>
      phases.push(p),
    );
    expect(phases.filter((p, i) => phases[i - 1] !== p)).toEqual([
      'preparing-storage',
      'pulling',
      'creating',
      'starting',
    ]);
    expect(storage.prepared.map((d) => d.field)).toEqual(['default_config_path']);
    expect((await engine.inspectService('k3x9a0b2c4'))?.id).toBe(id);
  });

  it('creates nothing when storage is refused or the image is nowhere', async () => {
    const engine = new MemoryEngine({ images: [IMAGE] });
    await expect(
      deployVm(compiled(), {
        engine,
        storage: new RecordingStorage(true),
        pullPolicy: 'if-not-present',
      }),
    ).rejects.toThrow(StorageUnsafeError);
    await expect(
      deployVm(compiled('nowhere'), {
        engine,
        storage: new RecordingStorage(),
        pullPolicy: 'if-not-present',
      }),
    ).rejects.toThrow(ImageUnavailableError);
    expect(await engine.observe()).toEqual([]);
  });
});

describe('waitForVm and vmUrls', () => {
  it('returns running with URLs for every published endpoint', async () => {
    const engine = new MemoryEngine({ images: [IMAGE] });
    const vm = compiled();
    await deployVm(vm, { engine, storage: new RecordingStorage(), pullPolicy: 'never' });
    const { status, observed } = await waitForVm(engine, 'k3x9a0b2c4', { timeoutMs: 1000 });
    expect(status).toEqual({ status: 'running' });
    const urls = vmUrls(vm.endpoints, observed, '127.0.0.1');
    expect(urls.map((u) => u.name)).toEqual(['main', 'manage']);
    expect(urls[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('returns the crash-loop error and times out with the last status', async () => {
    const engine = new MemoryEngine({ images: [IMAGE], crashing: new Map([[IMAGE, 3]]) });
    await engine.createService(compiled().spec, []);
    const { status } = await waitForVm(engine, 'k3x9a0b2c4', { timeoutMs: 1000 });
    expect(status.status).toBe('error');
    expect(status.reason).toMatch(/exit code 3/);
    const empty = new MemoryEngine();
    const timedOut = await waitForVm(empty, 'k3x9a0b2c4', { timeoutMs: 50, intervalMs: 10 });
    expect(timedOut.status).toEqual({
      status: 'error',
      reason: 'not running after 0 s (last: creating)',
    });
  });
});
