import { describe, expect, it } from 'vitest';
import { testPlatform } from '../../test/support/test-platform.js';

describe('user administration', () => {
  it('disabling a user revokes their sessions and forward-auth at once; deleting needs their VMs gone', async () => {
    const p = await testPlatform();
    const admin = await p.login('admin', 'admin-password');
    await p.call('POST', '/api/v1/users', {
      cookie: admin,
      body: { username: 'frank', password: 'frank-password' },
    });
    const frank = await p.login('frank', 'frank-password');
    const vm = (await (
      await p.call('POST', '/api/v1/vms', { cookie: frank, body: { image: 'httpd' } })
    ).json()) as { id: string };
    const forward = () =>
      p.call('GET', '/api/v1/auth/forward', {
        cookie: frank,
        headers: { 'x-forwarded-host': `${vm.id}.swiftor.test`, accept: 'application/json' },
      });
    expect((await forward()).status).toBe(200);

    const disabled = await p.call('PATCH', '/api/v1/users/frank', {
      cookie: admin,
      body: { disabled: true },
    });
    expect(await disabled.json()).toMatchObject({ username: 'frank', disabled: true });
    expect((await p.call('GET', '/api/v1/me', { cookie: frank })).status).toBe(401);
    expect((await forward()).status).toBe(401);
    const login = await p.call('POST', '/api/v1/auth/login', {
      body: { username: 'frank', password: 'frank-password' },
    });
    expect(await login.json()).toEqual({
      code: 'unauthenticated',
      message: 'this account is disabled',
    });

    const blocked = await p.call('DELETE', '/api/v1/users/frank', { cookie: admin });
    expect(blocked.status).toBe(409);
    expect(await blocked.json()).toMatchObject({
      message: 'frank still has VMs; delete them first',
    });
    await p.call('DELETE', `/api/v1/vms/${vm.id}`, { cookie: admin });
    await p.reconciler.runPass();
    await p.reconciler.runPass();
    expect((await p.call('DELETE', '/api/v1/users/frank', { cookie: admin })).status).toBe(204);
    expect((await p.call('DELETE', '/api/v1/users/admin', { cookie: admin })).status).toBe(409);
    const audit = (await p.store.listAudit(50)).map((a) => a.action);
    expect(audit).toEqual(
      expect.arrayContaining([
        'user.create',
        'user.update',
        'vm.create',
        'vm.delete',
        'user.delete',
        'auth.login_failed',
      ]),
    );
  });

  it('sign-up is closed by default and open when configured', async () => {
    const closed = await testPlatform();
    const refused = await closed.call('POST', '/api/v1/auth/signup', {
      body: { username: 'gina', password: 'gina-password' },
    });
    expect(refused.status).toBe(403);
    const open = await testPlatform({ SWIFTOR_OPEN_SIGNUP: 'true' });
    const created = await open.call('POST', '/api/v1/auth/signup', {
      body: { username: 'gina', password: 'gina-password' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ username: 'gina', role: 'user' });
    const bad = await open.call('POST', '/api/v1/auth/signup', {
      body: { username: 'G!', password: 'short' },
    });
    expect(
      ((await bad.json()) as { validations: { field: string }[] }).validations.map((v) => v.field),
    ).toEqual(['username', 'password']);
  });
});

describe('port forwards and events', () => {
  it('adds and removes port forwards, only for images that allow them', async () => {
    const p = await testPlatform({ SWIFTOR_INGRESS: 'traefik' });
    const admin = await p.login('admin', 'admin-password');
    const vm = (await (
      await p.call('POST', '/api/v1/vms', { cookie: admin, body: { image: 'httpd' } })
    ).json()) as { id: string };
    const added = await p.call('POST', `/api/v1/vms/${vm.id}/port-forwards`, {
      cookie: admin,
      body: { name: 'blog', port: 4000 },
    });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { urls: { url: string }[] }).urls.map((u) => u.url)).toContain(
      `https://blog-${vm.id}.swiftor.test/`,
    );
    const badName = await p.call('POST', `/api/v1/vms/${vm.id}/port-forwards`, {
      cookie: admin,
      body: { name: 'Bad.Name', port: 4000 },
    });
    expect(badName.status).toBe(400);
    expect(
      (await p.call('DELETE', `/api/v1/vms/${vm.id}/port-forwards/blog`, { cookie: admin })).status,
    ).toBe(204);
    expect(
      (await p.call('DELETE', `/api/v1/vms/${vm.id}/port-forwards/blog`, { cookie: admin })).status,
    ).toBe(404);
    const webtop = (await (
      await p.call('POST', '/api/v1/vms', {
        cookie: admin,
        body: { image: 'webtop', distribution: 'alpine', desktop: 'xfce' },
      })
    ).json()) as { id: string };
    const refused = await p.call('POST', `/api/v1/vms/${webtop.id}/port-forwards`, {
      cookie: admin,
      body: { name: 'x', port: 1 },
    });
    expect(refused.status).toBe(409);
  });

  it('streams status changes of your own VMs only', async () => {
    const p = await testPlatform();
    const admin = await p.login('admin', 'admin-password');
    await p.call('POST', '/api/v1/users', {
      cookie: admin,
      body: { username: 'hana', password: 'hana-password' },
    });
    await p.call('POST', '/api/v1/users', {
      cookie: admin,
      body: { username: 'ivan', password: 'ivan-password' },
    });
    const hana = await p.login('hana', 'hana-password');
    const ivan = await p.login('ivan', 'ivan-password');
    const stream = await p.call('GET', '/api/v1/events', { cookie: ivan });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle))
        text += decoder.decode((await reader.read()).value, { stream: true });
    };
    await readUntil('event: ready');
    const hanaVm = (await (
      await p.call('POST', '/api/v1/vms', { cookie: hana, body: { image: 'httpd' } })
    ).json()) as { id: string };
    const ivanVm = (await (
      await p.call('POST', '/api/v1/vms', { cookie: ivan, body: { image: 'httpd' } })
    ).json()) as { id: string };
    await p.reconciler.runPass();
    await p.reconciler.settle();
    await p.reconciler.runPass();
    await readUntil('"status":"running"');
    await reader.cancel();
    expect(text).toContain(ivanVm.id);
    expect(text).not.toContain(hanaVm.id);
  });
});

describe('the VM fallback page', () => {
  it('answers VM hosts without a running task with a retrying page, not a bare 404', async () => {
    const p = await testPlatform();
    const response = await p.call('GET', '/', { headers: { host: 'k3x9a0b2c4.swiftor.test' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.text()).toContain(
      'VM <code>k3x9a0b2c4</code> is starting, stopped, or does not exist',
    );
    const platformHost = await p.call('GET', '/healthz', { headers: { host: 'swiftor.test' } });
    expect(platformHost.status).toBe(200);
  });
});
