import { beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform, testPlatform } from '../../test/support/test-platform.js';

let p: TestPlatform;
let admin: string;
let alice: string;
let bob: string;
let aliceVm: string;

beforeAll(async () => {
  p = await testPlatform();
  admin = await p.login('admin', 'admin-password');
  for (const name of ['alice', 'bob']) {
    const created = await p.call('POST', '/api/v1/users', {
      cookie: admin,
      body: { username: name, password: `${name}-password` },
    });
    expect(created.status).toBe(201);
  }
  alice = await p.login('alice', 'alice-password');
  bob = await p.login('bob', 'bob-password');
  const vm = await p.call('POST', '/api/v1/vms', {
    cookie: alice,
    body: { image: 'httpd', name: 'site' },
  });
  expect(vm.status).toBe(202);
  aliceVm = ((await vm.json()) as { id: string }).id;
});

describe('sign-in and sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and says who you are', async () => {
    const response = await p.call('POST', '/api/v1/auth/login', {
      body: { username: 'alice', password: 'alice-password' },
    });
    expect(response.headers.get('set-cookie')).toMatch(
      /^swiftor_session=ses_[\w-]+; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const me = await p.call('GET', '/api/v1/me', { cookie: alice });
    expect(await me.json()).toMatchObject({ user: { username: 'alice', role: 'user' } });
  });

  it('scopes the cookie to the platform domain when served under it (so VM hosts get it)', async () => {
    const response = await p.call('POST', '/api/v1/auth/login', {
      body: { username: 'alice', password: 'alice-password' },
      headers: { host: 'swiftor.test' },
    });
    expect(response.headers.get('set-cookie')).toContain('Domain=swiftor.test');
  });

  it('rejects wrong passwords with one message, and rate-limits after five', async () => {
    const attempt = () =>
      p.call('POST', '/api/v1/auth/login', {
        body: { username: 'nobody-here', password: 'nope' },
        headers: { 'x-forwarded-for': '10.9.9.9' },
      });
    for (let i = 0; i < 5; i++) {
      const r = await attempt();
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({
        code: 'unauthenticated',
        message: 'wrong username or password',
      });
    }
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('logout revokes the session server-side', async () => {
    const carol = await p.login('admin', 'admin-password');
    expect((await p.call('POST', '/api/v1/auth/logout', { cookie: carol })).status).toBe(204);
    expect((await p.call('GET', '/api/v1/me', { cookie: carol })).status).toBe(401);
  });

  it('API tokens work wherever the cookie does, are shown once, and stop when revoked', async () => {
    const created = await p.call('POST', '/api/v1/tokens', {
      cookie: alice,
      body: { name: 'cli' },
    });
    const { token, id } = (await created.json()) as { token: string; id: string };
    expect(token).toMatch(/^swt_/);
    expect((await p.call('GET', '/api/v1/vms', { bearer: token })).status).toBe(200);
    const listed = await (await p.call('GET', '/api/v1/tokens', { cookie: alice })).text();
    expect(listed).not.toContain(token);
    expect((await p.call('DELETE', `/api/v1/tokens/${id}`, { cookie: alice })).status).toBe(204);
    expect((await p.call('GET', '/api/v1/vms', { bearer: token })).status).toBe(401);
  });
});

describe('authorization matrix', () => {
  const cases = [
    ['GET', (id: string) => `/api/v1/vms/${id}`, 200],
    ['POST', (id: string) => `/api/v1/vms/${id}/stop`, 202],
    ['POST', (id: string) => `/api/v1/vms/${id}/start`, 202],
    ['POST', (id: string) => `/api/v1/vms/${id}/restart`, 202],
    ['GET', (id: string) => `/api/v1/vms/${id}/logs?follow=false`, 200],
    ['POST', (id: string) => `/api/v1/vms/${id}/port-forwards`, 201],
  ] as const;

  it.each(cases)(
    '%s %s: owner ok, other user 404, admin ok, anonymous 401',
    async (method, path, ok) => {
      const body = path('x').endsWith('port-forwards')
        ? { name: `f${Math.floor(Math.random() * 1e6)}`, port: 4000 }
        : undefined;
      const as = (cookie?: string, b = body) =>
        p.call(method, path(aliceVm), { ...(cookie ? { cookie } : {}), ...(b ? { body: b } : {}) });
      expect((await as(alice)).status).toBe(ok);
      const other = await as(bob);
      expect(other.status).toBe(404);
      expect(await other.json()).toEqual({ code: 'not_found', message: `no VM ${aliceVm}` });
      expect((await as(admin, body && { ...body, name: `${body.name}a` })).status).toBe(ok);
      expect((await as(undefined)).status).toBe(401);
    },
  );

  it('pages the list with limit and offset, and says the total', async () => {
    const all = await p.call('GET', '/api/v1/vms', { cookie: admin });
    const total = Number(all.headers.get('x-total-count'));
    expect(total).toBe(((await all.json()) as unknown[]).length);
    const page = await p.call('GET', '/api/v1/vms?limit=1&offset=0', { cookie: admin });
    expect(page.headers.get('x-total-count')).toBe(String(total));
    expect((await page.json()) as unknown[]).toHaveLength(1);
    const bad = await p.call('GET', '/api/v1/vms?limit=0', { cookie: admin });
    expect(bad.status).toBe(400);
  });

  it('lists only your own VMs; admins see all', async () => {
    const ids = async (cookie: string) =>
      ((await (await p.call('GET', '/api/v1/vms', { cookie })).json()) as { id: string }[]).map(
        (v) => v.id,
      );
    expect(await ids(alice)).toContain(aliceVm);
    expect(await ids(bob)).not.toContain(aliceVm);
    expect(await ids(admin)).toContain(aliceVm);
  });

  it('user management is for admins only', async () => {
    expect((await p.call('GET', '/api/v1/users', { cookie: alice })).status).toBe(403);
    expect(
      (
        await p.call('POST', '/api/v1/users', {
          cookie: alice,
          body: { username: 'mallory', password: 'password1' },
        })
      ).status,
    ).toBe(403);
    expect((await p.call('GET', '/api/v1/users')).status).toBe(401);
    expect((await p.call('GET', '/api/v1/users', { cookie: admin })).status).toBe(200);
  });

  it('another user cannot delete your VM', async () => {
    expect((await p.call('DELETE', `/api/v1/vms/${aliceVm}`, { cookie: bob })).status).toBe(404);
    expect((await p.call('GET', `/api/v1/vms/${aliceVm}`, { cookie: alice })).status).toBe(200);
  });
});

describe('forward-auth', () => {
  const forward = (host: string, cookie?: string, accept = 'text/html') =>
    p.call('GET', '/api/v1/auth/forward', {
      ...(cookie ? { cookie } : {}),
      headers: {
        'x-forwarded-host': host,
        'x-forwarded-uri': '/x?y=1',
        'x-forwarded-proto': 'https',
        accept,
      },
    });

  it('lets the owner and admins through with identity headers', async () => {
    const owner = await forward(`${aliceVm}.swiftor.test`, alice);
    expect(owner.status).toBe(200);
    expect(owner.headers.get('x-swiftor-user')).toBe('alice');
    expect(owner.headers.get('x-swiftor-vm')).toBe(aliceVm);
    expect((await forward(`${aliceVm}.swiftor.test`, admin)).status).toBe(200);
    expect((await forward(`blog-${aliceVm}.swiftor.test`, alice)).status).toBe(200);
  });

  it('refuses other users (403), sends browsers to sign in (302), others get 401', async () => {
    expect((await forward(`${aliceVm}.swiftor.test`, bob)).status).toBe(403);
    const browser = await forward(`${aliceVm}.swiftor.test`);
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe(
      `http://127.0.0.1:8080/login?next=${encodeURIComponent(`https://${aliceVm}.swiftor.test/x?y=1`)}`,
    );
    expect((await forward(`${aliceVm}.swiftor.test`, undefined, 'application/json')).status).toBe(
      401,
    );
    expect((await forward('nope1234567.swiftor.test', alice)).status).toBe(404);
    expect((await forward(`${aliceVm}.evil.test`, alice)).status).toBe(404);
  });

  it('stops working the moment the session is revoked', async () => {
    const session = await p.login('alice', 'alice-password');
    expect((await forward(`${aliceVm}.swiftor.test`, session)).status).toBe(200);
    await p.call('POST', '/api/v1/auth/logout', { cookie: session });
    expect((await forward(`${aliceVm}.swiftor.test`, session)).status).toBe(302);
  });
});

describe('VMs', () => {
  it('rejects an unknown image with the field and the choices, creating nothing', async () => {
    const before = (await p.store.listVms()).length;
    const response = await p.call('POST', '/api/v1/vms', { cookie: bob, body: { image: 'nope' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'validation_failed',
      message: 'unknown image',
      validations: [
        {
          field: 'image',
          detail:
            '"nope" is not in the catalog; choose one of code-server, webtop, kali-linux, firefox, chromium, obsidian, libreoffice, vscodium, gimp, httpd',
        },
      ],
    });
    expect((await p.store.listVms()).length).toBe(before);
  });

  it('rejects a webtop combination that is not offered, creating nothing', async () => {
    const before = (await p.store.listVms()).length;
    const response = await p.call('POST', '/api/v1/vms', {
      cookie: bob,
      body: { image: 'webtop', distribution: 'ubuntu', desktop: 'gnome' },
    });
    expect(response.status).toBe(400);
    expect(
      ((await response.json()) as { validations: { field: string }[] }).validations[0]?.field,
    ).toBe('distribution');
    expect((await p.store.listVms()).length).toBe(before);
  });

  it('enforces quotas with a clear code', async () => {
    await p.call('PATCH', '/api/v1/users/bob', { cookie: admin, body: { maxVms: 1 } });
    expect(
      (await p.call('POST', '/api/v1/vms', { cookie: bob, body: { image: 'httpd' } })).status,
    ).toBe(202);
    const second = await p.call('POST', '/api/v1/vms', { cookie: bob, body: { image: 'httpd' } });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: 'quota_exceeded' });
  });

  it('reports request validation errors in the one error body', async () => {
    const response = await p.call('POST', '/api/v1/vms', {
      cookie: alice,
      body: { imag: 'httpd' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'validation_failed',
      validations: [{ field: 'image' }],
    });
  });

  it('never puts the VM password in VM responses or logs', async () => {
    const reveal = await p.call('POST', '/api/v1/me/vm-password/reveal', {
      cookie: alice,
      body: { password: 'alice-password' },
    });
    const { vmPassword } = (await reveal.json()) as { vmPassword: string };
    await p.reconciler.runPass();
    const text = await (await p.call('GET', '/api/v1/vms', { cookie: alice })).text();
    expect(text).not.toContain(vmPassword);
    expect(p.logLines.join('\n')).not.toContain(vmPassword);
    expect(JSON.stringify(await p.store.listAudit(100))).not.toContain(vmPassword);
  });
});

describe('the VM password', () => {
  it('is revealed only after re-entering the login password, and audited', async () => {
    const wrong = await p.call('POST', '/api/v1/me/vm-password/reveal', {
      cookie: bob,
      body: { password: 'nope' },
    });
    expect(wrong.status).toBe(401);
    const ok = await p.call('POST', '/api/v1/me/vm-password/reveal', {
      cookie: bob,
      body: { password: 'bob-password' },
    });
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toMatchObject({
      vmPassword: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      version: 1,
    });
    expect(
      (await p.store.listAudit(50)).some(
        (a) => a.actor === 'bob' && a.action === 'vm_password.reveal',
      ),
    ).toBe(true);
  });

  it('rotates to a new value and version', async () => {
    const reveal = async () =>
      (await (
        await p.call('POST', '/api/v1/me/vm-password/reveal', {
          cookie: bob,
          body: { password: 'bob-password' },
        })
      ).json()) as { vmPassword: string; version: number };
    const before = await reveal();
    expect((await p.call('POST', '/api/v1/me/vm-password/rotate', { cookie: bob })).status).toBe(
      204,
    );
    const after = await reveal();
    expect(after.vmPassword).not.toBe(before.vmPassword);
    expect(after.version).toBe(before.version + 1);
  });
});

describe('operations endpoints', () => {
  it('serves health, readiness and metrics', async () => {
    expect(await (await p.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await p.call('GET', '/readyz')).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', engine: 'ok' },
    });
    await p.reconciler.runPass();
    const metrics = await (await p.call('GET', '/metrics')).text();
    expect(metrics).toMatch(/swiftor_vms\{status="/);
    expect(metrics).toMatch(/swiftor_reconcile_passes_total [1-9]/);
    expect(metrics).toMatch(
      /swiftor_engine_request_duration_seconds_count\{operation="observe",outcome="ok"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /swiftor_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\}/,
    );
  });

  it('serves the OpenAPI document', async () => {
    const doc = (await (await p.call('GET', '/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/vms',
        '/api/v1/vms/{id}',
        '/api/v1/auth/forward',
        '/api/v1/events',
      ]),
    );
  });
});
