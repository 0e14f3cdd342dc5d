/**
 * GET /api/v1/vms with 1,000 VMs in the database, side by side with /healthz (the framework
 * floor), against the real server process (`node dist/main.js`, SQLite), plus its RSS.
 * The engine socket points nowhere, so the reconciler does not try to start 1,000 VMs: this
 * measures the API and the database only.
 *
 *   npm run build && npm run bench:api
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { hashPassword } from '../../src/auth/password-hash.js';
import { openStore } from '../../src/store/kysely-store.js';

const VMS = Number(process.env.BENCH_VMS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = 18099;

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'swiftor-bench-api-'));
  const store = await openStore({ sqliteFile: join(dataDir, 'swiftor.db') });
  const passwordHash = await hashPassword('bench-password');
  const admin = await store.createUser({
    username: 'admin',
    passwordHash,
    role: 'admin',
    vmPasswordSealed: 'v1.x.x.x',
  });
  const users = [admin];
  for (let i = 0; i < 199; i++)
    users.push(
      await store.createUser({
        username: `user${i}`,
        passwordHash,
        role: 'user',
        vmPasswordSealed: 'v1.x.x.x',
      }),
    );
  for (let i = 0; i < VMS; i++) {
    const owner = users[i % users.length] ?? admin;
    await store.createVm({
      id: `v${randomBytes(6).toString('hex')}`.slice(0, 12),
      ownerId: owner.id,
      image: 'code-server',
      distribution: null,
      desktop: null,
      name: null,
    });
  }
  await store.close();

  const server = spawn(process.execPath, ['dist/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      SWIFTOR_DATA_DIR: dataDir,
      SWIFTOR_LISTEN: `127.0.0.1:${PORT}`,
      SWIFTOR_DOCKER_HOST: `unix://${join(dataDir, 'no-engine.sock')}`,
      SWIFTOR_LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 100) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = async (username: string) => {
    const r = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'bench-password' }),
    });
    return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };
  const adminCookie = await login('admin');
  const userCookie = await login('user7');
  const rssIdleBefore = await rssMiB(server.pid ?? 0);
  const adminCount = (
    (await (
      await fetch(`${base}/api/v1/vms`, { headers: { cookie: adminCookie } })
    ).json()) as unknown[]
  ).length;
  const userCount = (
    (await (
      await fetch(`${base}/api/v1/vms`, { headers: { cookie: userCookie } })
    ).json()) as unknown[]
  ).length;

  const run = async (title: string, path: string, cookie?: string) => {
    const result = await autocannon({
      url: `${base}${path}`,
      connections: 10,
      duration: SECONDS,
      headers: cookie ? { cookie } : {},
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${title}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return {
      title,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      kb: result.throughput.average / 1024 / result.requests.average,
    };
  };
  const rows = [
    await run('/healthz (framework floor)', '/healthz'),
    await run(`GET /api/v1/vms as a user (${userCount} of ${VMS} VMs)`, '/api/v1/vms', userCookie),
    await run(`GET /api/v1/vms as admin (all ${adminCount} VMs)`, '/api/v1/vms', adminCookie),
    await run(
      'GET /api/v1/vms?limit=100 as admin (a page)',
      '/api/v1/vms?limit=100&offset=400',
      adminCookie,
    ),
  ];
  const rssAfterLoad = await rssMiB(server.pid ?? 0);
  await new Promise((r) => setTimeout(r, 5000));
  const rssIdleAfter = await rssMiB(server.pid ?? 0);
  server.kill('SIGTERM');

  console.log(
    `${VMS} VMs, 200 users, SQLite; autocannon 10 connections x ${SECONDS} s each; Node ${process.version}`,
  );
  console.log(
    `${'endpoint'.padEnd(48)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'KiB/resp'.padStart(9)}`,
  );
  for (const r of rows)
    console.log(
      `${r.title.padEnd(48)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${r.kb.toFixed(1).padStart(9)}`,
    );
  console.log(
    `RSS: ${rssIdleBefore.toFixed(0)} MiB idle after start, ${rssAfterLoad.toFixed(0)} MiB right after the load, ${rssIdleAfter.toFixed(0)} MiB idle 5 s later`,
  );
  await rm(dataDir, { recursive: true, force: true });
}

await main();
