/**
 * The control plane as users run it: `npm start` on the real engine, driven over HTTP.
 * Then the restart-safety promise: SIGKILL during 10 concurrent creates, start again, and
 * everything converges with exactly one service per VM and no orphans.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineAvailable, engineRequest, waitFor } from '../support/engine.js';
import { ApiClient, type ServerProcess, startServer } from '../support/server-process.js';

const available = await engineAvailable();

interface Vm {
  id: string;
  status: string;
  reason: string | null;
  urls: { name: string; url: string }[];
}

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) await server.kill();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'swiftor-cp-'));
  dirs.push(dir);
  return dir;
}

async function waitStatus(
  api: ApiClient,
  id: string,
  want: string[],
  timeoutMs = 60_000,
): Promise<Vm> {
  return waitFor(
    `${id} ${want.join('|')}`,
    async () => {
      const { status, body } = await api.call<Vm>('GET', `/api/v1/vms/${id}`);
      return status === 200 && want.includes(body.status) ? body : undefined;
    },
    timeoutMs,
    250,
  );
}

/** Reads server-sent events until `until` returns true for an event. */
async function readEvents(
  url: string,
  cookie: string,
  until: (event: string, data: unknown) => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const response = await fetch(url, {
    headers: { cookie },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('event stream ended');
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data && until(event, JSON.parse(data))) {
        await reader.cancel();
        return;
      }
    }
  }
}

describe.skipIf(!available)('control plane on the real engine', () => {
  it('runs a scripted session through npm start', async () => {
    const server = await startServer(await dataDir(), {}, ['npm', 'start']);
    servers.push(server);
    const admin = new ApiClient(server.url);
    await admin.login('admin', 'admin-password');
    expect(
      (await admin.call('POST', '/api/v1/users', { username: 'dana', password: 'dana-password' }))
        .status,
    ).toBe(201);
    expect(
      (await admin.call('POST', '/api/v1/users', { username: 'erin', password: 'erin-password' }))
        .status,
    ).toBe(201);
    const dana = new ApiClient(server.url);
    await dana.login('dana', 'dana-password');
    const catalog = await dana.call<{ name: string }[]>('GET', '/api/v1/catalog');
    expect(catalog.body.map((e) => e.name)).toContain('httpd');

    const danaCookie = (dana as unknown as { cookie: string }).cookie;
    const created = await dana.call<Vm>('POST', '/api/v1/vms', { image: 'httpd', name: 'site' });
    expect(created.status).toBe(202);
    expect(created.body.status).toBe('creating');
    const id = created.body.id;
    // Status arrives as a server-sent event, no polling.
    await readEvents(
      `${server.url}/api/v1/events`,
      danaCookie,
      (event, data) =>
        event === 'vm' && (data as Vm).id === id && (data as Vm).status === 'running',
    );

    const running = await waitStatus(dana, id, ['running']);
    const url = running.urls.find((u) => u.name === 'main')?.url ?? '';
    expect(await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text()).toBe('ok\n');

    const erin = new ApiClient(server.url);
    await erin.login('erin', 'erin-password');
    expect((await erin.call('GET', `/api/v1/vms/${id}`)).status).toBe(404);
    expect((await erin.call<Vm[]>('GET', '/api/v1/vms')).body).toEqual([]);

    expect((await dana.call('POST', `/api/v1/vms/${id}/stop`)).status).toBe(202);
    await waitStatus(dana, id, ['stopped']);
    expect((await dana.call('POST', `/api/v1/vms/${id}/start`)).status).toBe(202);
    await waitStatus(dana, id, ['running']);

    const logs = await fetch(`${server.url}/api/v1/vms/${id}/logs?follow=false`, {
      headers: { cookie: danaCookie },
    });
    expect(logs.headers.get('content-type')).toContain('text/event-stream');
    expect(await logs.text()).toContain('event: end');

    expect((await dana.call('DELETE', `/api/v1/vms/${id}`)).status).toBe(202);
    await waitFor(
      'the VM to be gone',
      async () => ((await dana.call('GET', `/api/v1/vms/${id}`)).status === 404 ? true : undefined),
      30_000,
    );
    await waitFor(
      'its service to be gone',
      async () =>
        (await engineRequest('GET', `/services/vm-${id}`)).status === 404 ? true : undefined,
      30_000,
    );

    // Graceful shutdown leaves VMs running.
    const keeper = (await dana.call<Vm>('POST', '/api/v1/vms', { image: 'httpd' })).body.id;
    await waitStatus(dana, keeper, ['running']);
    await server.stop();
    // npm exits on the signal itself; the server's own log says whether it shut down cleanly.
    await waitFor(
      'a clean shutdown',
      async () => (server.output.join('').includes('"msg":"stopped"') ? true : undefined),
      15_000,
    );
    expect((await engineRequest('GET', `/services/vm-${keeper}`)).status).toBe(200);
    await engineRequest('DELETE', `/services/vm-${keeper}`);
  });

  it.each([50, 400])(
    'converges after SIGKILL %i ms into 10 concurrent creates: one service per VM, no orphans',
    async (killAfterMs) => {
      const dir = await dataDir();
      const env = {
        SWIFTOR_MAX_VMS: '20',
        SWIFTOR_MAX_RUNNING_VMS: '20',
        SWIFTOR_ORPHAN_GRACE: '2',
        SWIFTOR_RECONCILE_INTERVAL: '1',
      };
      const first = await startServer(dir, env);
      servers.push(first);
      const api = new ApiClient(first.url);
      await api.login('admin', 'admin-password');
      const results = await Promise.all(
        Array.from({ length: 10 }, () => api.call<Vm>('POST', '/api/v1/vms', { image: 'httpd' })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(202));
      const ids = results.map((r) => r.body.id);
      // Kill while the reconciler is in the middle of creating them.
      await new Promise((r) => setTimeout(r, killAfterMs));
      await first.kill();

      // A service with our label but no VM row (as another control plane might leave behind).
      const orphanId = `orphan${killAfterMs}`.padEnd(16, '0');
      const orphan = await engineRequest<{ ID: string }>('POST', '/v1.45/services/create', {
        Name: `vm-${orphanId}`,
        Labels: {
          'io.swiftor.managed': 'true',
          'io.swiftor.vm-id': orphanId,
          'io.swiftor.owner': 'nobody',
        },
        TaskTemplate: { ContainerSpec: { Image: 'swiftor-test/httpd:latest' } },
        Mode: { Replicated: { Replicas: 0 } },
      });
      expect(orphan.status).toBe(201);

      const second = await startServer(dir, env);
      servers.push(second);
      const again = new ApiClient(second.url);
      await again.login('admin', 'admin-password');
      for (const id of ids) await waitStatus(again, id, ['running', 'error'], 90_000);
      const vms = (await again.call<Vm[]>('GET', '/api/v1/vms')).body;
      expect(vms.filter((vm) => ids.includes(vm.id)).map((vm) => vm.status)).toEqual(
        Array(10).fill('running'),
      );

      const filters = encodeURIComponent(JSON.stringify({ label: ['io.swiftor.managed=true'] }));
      const services = (
        await engineRequest<{ Spec: { Labels: Record<string, string> } }[]>(
          'GET',
          `/services?filters=${filters}`,
        )
      ).body;
      for (const id of ids)
        expect(services.filter((s) => s.Spec.Labels['io.swiftor.vm-id'] === id)).toHaveLength(1);
      await waitFor(
        'the orphan to be removed',
        async () =>
          (await engineRequest('GET', `/services/vm-${orphanId}`)).status === 404
            ? true
            : undefined,
        30_000,
      );

      for (const id of ids) await again.call('DELETE', `/api/v1/vms/${id}`);
      await waitFor(
        'all test services gone',
        async () => {
          const left = (
            await engineRequest<{ Spec: { Labels: Record<string, string> } }[]>(
              'GET',
              `/services?filters=${filters}`,
            )
          ).body;
          return left.some((s) => ids.includes(s.Spec.Labels['io.swiftor.vm-id'] ?? ''))
            ? undefined
            : true;
        },
        60_000,
      );
      expect(await second.stop()).toBe(0);
    },
  );
});
