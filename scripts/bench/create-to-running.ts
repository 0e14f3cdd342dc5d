/**
 * create -> running through the driver vs a raw POST /v1.45/services/create of the same spec,
 * side by side on the same engine in one run. Both sides use the same waiter (GET /tasks
 * every 20 ms) so only the create path differs. Runs alternate (driver, raw, raw, driver, …)
 * so drift in the engine hurts both equally.
 *
 *   npm run bench                 # 20 sequential runs per side + 25 concurrent creates per side
 *   BENCH_RUNS=40 npm run bench
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileService } from '../../src/compiler/compile-service.js';
import { DEFAULT_PLATFORM } from '../../src/compiler/deploy-context.js';
import { ImageConfigSchema } from '../../src/domain/image-config.js';
import type { ServiceSpec } from '../../src/domain/service-spec.js';
import { connectDockerEngine } from '../../src/driver/docker-engine.js';
import { UserStorage } from '../../src/storage/user-storage.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 25);
const SOCKET = '/var/run/docker.sock';

function raw<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: SOCKET,
        method,
        path,
        headers: payload ? { 'Content-Type': 'application/json' } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            body: (text ? JSON.parse(text) : undefined) as T,
          });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function waitRunning(serviceId: string): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ service: [serviceId] }));
  for (;;) {
    const { body } = await raw<{ Status: { State: string } }[]>(
      'GET',
      `/v1.45/tasks?filters=${filters}`,
    );
    if (body.some((t) => t.Status.State === 'running')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the VMs' containers are gone, so one run's cleanup does not slow the next. */
async function waitGone(vmIds: string[]): Promise<void> {
  for (const vmId of vmIds) {
    const filters = encodeURIComponent(JSON.stringify({ label: [`io.swiftor.vm-id=${vmId}`] }));
    for (;;) {
      const { body } = await raw<unknown[]>(
        'GET',
        `/v1.45/containers/json?all=true&filters=${filters}`,
      );
      if (body.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;

async function main() {
  const engine = await connectDockerEngine();
  const info = await engine.info();
  const storageRoot = await mkdtemp(join(tmpdir(), 'swiftor-bench-'));
  const storage = new UserStorage(storageRoot);
  const config = ImageConfigSchema.parse({
    image_prefix: '',
    image_name: 'swiftor-test/httpd',
    image_tag: 'latest',
  });
  let counter = 0;
  const compile = (): {
    vmId: string;
    spec: ServiceSpec;
    compiled: ReturnType<typeof compileService>;
  } => {
    const vmId = `bench${Date.now().toString(36).slice(-5)}${(counter++).toString(36).padStart(3, '0')}`;
    const compiled = compileService(config, {
      username: 'bench',
      vmId,
      entry: 'httpd',
      password: { value: 'x', version: 1 },
      platform: {
        ...DEFAULT_PLATFORM,
        ingress: 'ports',
        network: undefined,
        storageRoot,
        engineApiVersion: info.apiVersion,
      },
    });
    compiled.spec.TaskTemplate.ContainerSpec.Command = [
      'sh',
      '-c',
      "trap 'exit 0' TERM; httpd -f -p 3000 -h /www & wait",
    ];
    return { vmId, spec: compiled.spec, compiled };
  };

  const viaDriver = async (vm: ReturnType<typeof compile>) => {
    await engine.ensureImage(vm.spec.TaskTemplate.ContainerSpec.Image, 'if-not-present');
    return engine.createService(vm.spec, vm.compiled.secrets);
  };
  const viaRaw = async (vm: ReturnType<typeof compile>) => {
    const created = await raw<{ ID: string }>('POST', '/v1.45/services/create', vm.spec);
    if (created.status !== 201)
      throw new Error(`raw create failed: ${JSON.stringify(created.body)}`);
    return created.body.ID;
  };
  const sides = { driver: viaDriver, raw: viaRaw };

  console.log(
    `Docker Engine ${info.engineVersion}, API ${info.apiVersion}; ${RUNS} sequential runs per side, then ${CONCURRENT} concurrent creates per side`,
  );
  // Warm-up: one of each, not counted.
  for (const create of Object.values(sides)) {
    const vm = compile();
    await storage.prepare(vm.compiled.directories);
    await waitRunning(await create(vm));
    await engine.removeService(vm.vmId);
    await waitGone([vm.vmId]);
  }

  const sequential: Record<keyof typeof sides, number[]> = { driver: [], raw: [] };
  for (let i = 0; i < RUNS; i++) {
    const order: (keyof typeof sides)[] = i % 2 === 0 ? ['driver', 'raw'] : ['raw', 'driver'];
    for (const side of order) {
      const vm = compile();
      await storage.prepare(vm.compiled.directories);
      const started = performance.now();
      await waitRunning(await sides[side](vm));
      sequential[side].push(performance.now() - started);
      await engine.removeService(vm.vmId);
      await waitGone([vm.vmId]);
    }
  }

  const concurrent: Record<keyof typeof sides, { each: number[]; all: number }> = {
    driver: { each: [], all: 0 },
    raw: { each: [], all: 0 },
  };
  for (const side of ['raw', 'driver'] as const) {
    const vms = Array.from({ length: CONCURRENT }, compile);
    for (const vm of vms) await storage.prepare(vm.compiled.directories);
    const started = performance.now();
    await Promise.all(
      vms.map(async (vm) => {
        await waitRunning(await sides[side](vm));
        concurrent[side].each.push(performance.now() - started);
      }),
    );
    concurrent[side].all = performance.now() - started;
    for (const vm of vms) await engine.removeService(vm.vmId);
    await waitGone(vms.map((vm) => vm.vmId));
  }

  const row = (label: string, d: number, r: number) =>
    console.log(`${label.padEnd(34)} ${ms(d)}  ${ms(r)}   ${(d / r).toFixed(3)}`);
  console.log(`\n${''.padEnd(34)} ${'driver'.padStart(9)}  ${'raw API'.padStart(9)}   ratio`);
  row(
    'sequential create->running median',
    quantile(sequential.driver, 0.5),
    quantile(sequential.raw, 0.5),
  );
  row(
    'sequential create->running p95',
    quantile(sequential.driver, 0.95),
    quantile(sequential.raw, 0.95),
  );
  row(
    `${CONCURRENT} concurrent: per-VM median`,
    quantile(concurrent.driver.each, 0.5),
    quantile(concurrent.raw.each, 0.5),
  );
  row(
    `${CONCURRENT} concurrent: per-VM p95`,
    quantile(concurrent.driver.each, 0.95),
    quantile(concurrent.raw.each, 0.95),
  );
  row(`${CONCURRENT} concurrent: all running`, concurrent.driver.all, concurrent.raw.all);
  await rm(storageRoot, { recursive: true, force: true });
}

await main();
