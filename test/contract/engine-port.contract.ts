/**
 * The behaviour every EnginePort must have. Run against the in-memory engine (unit tests)
 * and the real Docker engine (integration tests), so the fake cannot drift from reality.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledService } from '../../src/compiler/compile-service.js';
import type { EnginePort, ObservedService } from '../../src/domain/engine-port.js';
import { ImageUnavailableError, NotFoundError } from '../../src/domain/errors.js';
import { deriveVmStatus } from '../../src/domain/vm-status.js';

export interface EngineFixture {
  engine: EnginePort;
  /** A compiled VM of an image present on the node that prints `hello from <vmId>` at start. */
  compile(vmId: string, change?: Partial<{ env: string[] }>): CompiledService;
  /** Creates the VM's folders where the engine needs them (no-op in memory). */
  prepare(compiled: CompiledService): Promise<void>;
  presentImage: string;
  missingImage: string;
  newVmId(): string;
  /** How long to wait for Swarm to converge. */
  timeoutMs: number;
}

async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function describeEnginePortContract(name: string, setup: () => Promise<EngineFixture>) {
  describe(`EnginePort contract: ${name}`, () => {
    async function deployed(fixture: EngineFixture) {
      const vmId = fixture.newVmId();
      const compiled = fixture.compile(vmId);
      await fixture.prepare(compiled);
      const id = await fixture.engine.createService(compiled.spec, compiled.secrets);
      return { vmId, compiled, id };
    }

    const statusOf = async (
      fixture: EngineFixture,
      vmId: string,
      desired: 'running' | 'stopped',
      want: string,
    ) =>
      eventually(`${vmId} ${want}`, fixture.timeoutMs, async () => {
        const observed = await fixture.engine.inspectService(vmId);
        return deriveVmStatus(observed, desired).status === want ? observed : undefined;
      });

    it('creates a service that runs, carrying the ownership labels', async () => {
      const fixture = await setup();
      const { vmId, compiled, id } = await deployed(fixture);
      const observed = (await statusOf(fixture, vmId, 'running', 'running')) as ObservedService;
      expect(observed).toMatchObject({
        id,
        name: `vm-${vmId}`,
        vmId,
        owner: 'alice',
        specHash: compiled.specHash,
        replicas: 1,
      });
      expect(observed.tasks.some((t) => t.state === 'running')).toBe(true);
      await fixture.engine.removeService(vmId);
    });

    it('is idempotent per VM id', async () => {
      const fixture = await setup();
      const { vmId, compiled, id } = await deployed(fixture);
      expect(await fixture.engine.createService(compiled.spec, compiled.secrets)).toBe(id);
      expect((await fixture.engine.observe()).filter((s) => s.vmId === vmId)).toHaveLength(1);
      await fixture.engine.removeService(vmId);
    });

    it('observes every owned service with its tasks', async () => {
      const fixture = await setup();
      const a = await deployed(fixture);
      const b = await deployed(fixture);
      await statusOf(fixture, b.vmId, 'running', 'running');
      const observed = await fixture.engine.observe();
      const ours = observed.filter((s) => s.vmId === a.vmId || s.vmId === b.vmId);
      expect(ours.map((s) => s.vmId).sort()).toEqual([a.vmId, b.vmId].sort());
      expect(ours.find((s) => s.vmId === b.vmId)?.tasks.length).toBeGreaterThan(0);
      await fixture.engine.removeService(a.vmId);
      await fixture.engine.removeService(b.vmId);
    });

    it('scales to 0 (stopped) and back to 1 (running)', async () => {
      const fixture = await setup();
      const { vmId } = await deployed(fixture);
      await statusOf(fixture, vmId, 'running', 'running');
      await fixture.engine.scaleService(vmId, 0);
      const stopped = await statusOf(fixture, vmId, 'stopped', 'stopped');
      expect(stopped?.replicas).toBe(0);
      await fixture.engine.scaleService(vmId, 1);
      await statusOf(fixture, vmId, 'running', 'running');
      await fixture.engine.removeService(vmId);
    });

    it('updates the spec with the version index', async () => {
      const fixture = await setup();
      const { vmId } = await deployed(fixture);
      const before = await fixture.engine.inspectService(vmId);
      const changed = fixture.compile(vmId, { env: ['EXTRA=1'] });
      await fixture.engine.updateService(vmId, changed.spec, changed.secrets);
      const after = await fixture.engine.inspectService(vmId);
      expect(after?.specHash).toBe(changed.specHash);
      expect(after?.specHash).not.toBe(before?.specHash);
      expect(after?.version).toBeGreaterThan(before?.version ?? Number.POSITIVE_INFINITY);
      await fixture.engine.removeService(vmId);
    });

    it('removes a service; a second removal is NotFound and inspect finds nothing', async () => {
      const fixture = await setup();
      const { vmId } = await deployed(fixture);
      await fixture.engine.removeService(vmId);
      expect(await fixture.engine.inspectService(vmId)).toBeUndefined();
      await expect(fixture.engine.removeService(vmId)).rejects.toThrow(NotFoundError);
      await expect(fixture.engine.scaleService(vmId, 1)).rejects.toThrow(NotFoundError);
    });

    it('reads logs', async () => {
      const fixture = await setup();
      const { vmId } = await deployed(fixture);
      await statusOf(fixture, vmId, 'running', 'running');
      const text = await eventually('the log line', fixture.timeoutMs, async () => {
        const lines: string[] = [];
        for await (const line of fixture.engine.logs(vmId, { follow: false, timestamps: true }))
          lines.push(line.text);
        return lines.find((l) => l.includes(`hello from ${vmId}`));
      });
      expect(text).toBe(`hello from ${vmId}`);
      await fixture.engine.removeService(vmId);
    });

    it('applies the pull policy', async () => {
      const fixture = await setup();
      await expect(
        fixture.engine.ensureImage(fixture.presentImage, 'if-not-present'),
      ).resolves.toBeUndefined();
      await expect(
        fixture.engine.ensureImage(fixture.presentImage, 'never'),
      ).resolves.toBeUndefined();
      await expect(fixture.engine.ensureImage(fixture.missingImage, 'never')).rejects.toThrow(
        ImageUnavailableError,
      );
      await expect(
        fixture.engine.ensureImage(fixture.missingImage, 'if-not-present'),
      ).rejects.toThrow(
        `image ${fixture.missingImage} is not on this node and could not be pulled`,
      );
      // A present image keeps working when no registry is reachable, even with "always".
      const progress: string[] = [];
      await fixture.engine.ensureImage(fixture.presentImage, 'always', (p) => progress.push(p));
      expect(progress.join('\n')).toMatch(/using the image already on this node/);
    });

    it('reports changes to VM services through watch()', async () => {
      const fixture = await setup();
      const stop = new AbortController();
      let changes = 0;
      const watching = fixture.engine.watch(() => changes++, stop.signal);
      await new Promise((r) => setTimeout(r, 200));
      const { vmId } = await deployed(fixture);
      await eventually('an event', fixture.timeoutMs, async () => (changes > 0 ? true : undefined));
      stop.abort();
      await watching;
      await fixture.engine.removeService(vmId);
    });

    it('reports an image that is nowhere as an error', async () => {
      const fixture = await setup();
      const vmId = fixture.newVmId();
      const compiled = fixture.compile(vmId);
      compiled.spec.TaskTemplate.ContainerSpec.Image = fixture.missingImage;
      await fixture.prepare(compiled);
      await fixture.engine.createService(compiled.spec, compiled.secrets);
      const started = Date.now();
      const observed = await statusOf(fixture, vmId, 'running', 'error');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(deriveVmStatus(observed, 'running').reason).toMatch(
        /^image not found: .*No such image/,
      );
      await fixture.engine.removeService(vmId);
    });
  });
}
