/**
 * The dashboard in Debian's Chromium (playwright-core) against `npm start` on the real
 * engine: a user's whole day, a second user's view, the VM password, and screenshots at
 * 1280 px and 375 px under test-output/screenshots/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineAvailable, engineRequest, waitFor } from '../support/engine.js';
import { ApiClient, type ServerProcess, startServer } from '../support/server-process.js';
import { ensureLoggingTestImage, LOGGING_TEST_IMAGE } from '../support/test-images.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true')
  throw new Error(`CI=true but ${CHROMIUM} is missing; .ci/run installs Debian's chromium`);
const available = hasChromium && (await engineAvailable());

describe.skipIf(!available)('dashboard in a real browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let dataDir: string;
  let vmId = '';

  beforeAll(async () => {
    await ensureLoggingTestImage();
    dataDir = await mkdtemp(join(tmpdir(), 'swiftor-e2e-'));
    // The catalog entry the users launch: the local test image that logs.
    const catalog = `httpd:\n  image_prefix: ""\n  image_name: ${LOGGING_TEST_IMAGE.split(':')[0]}\n  image_tag: latest\n  platform:\n    title: Test web server\n    description: Serves "ok" and logs every request.\n    category: Testing\n    stop_grace_seconds: 1\n`;
    server = await startServer(dataDir, {}, ['npm', 'start'], catalog);
    const admin = new ApiClient(server.url);
    await admin.login('admin', 'admin-password');
    for (const name of ['alice', 'bob'])
      await admin.call('POST', '/api/v1/users', { username: name, password: `${name}-password` });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    await mkdir(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (vmId) await engineRequest('DELETE', `/services/vm-${vmId}`);
    await server?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, username: string) {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(`${username}-password`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My VMs' }).waitFor();
  }

  async function shoot(page: Page, name: string) {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('shows sign-in errors in place', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'wrong username or password',
    );
    await page.close();
  });

  it('launches a VM, watches it run live, opens it, stops, starts, reads logs, deletes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'alice');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Catalog' })
      .click();
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    await page.getByLabel('Search images').fill('test web');
    await shoot(page, 'catalog');
    await page.getByRole('button', { name: 'Launch Test web server' }).click();
    await page.getByLabel('Name (optional)').fill('my site');
    await page.getByRole('button', { name: 'Launch', exact: true }).click();

    // The VM page updates from server-sent events: no reload between creating and running.
    await page.waitForURL(/\/vms\/[a-z0-9]+$/);
    vmId = page.url().split('/').pop() ?? '';
    const status = page.locator('.vm-page .status').first();
    await waitFor(
      'running',
      async () => ((await status.getAttribute('data-status')) === 'running' ? true : undefined),
      60_000,
    );
    const address = page.getByRole('region', { name: 'Addresses' }).getByRole('link').first();
    await waitFor(
      'an address',
      async () => ((await address.count()) > 0 ? true : undefined),
      30_000,
    );
    const vmPage = await browser.newPage();
    await vmPage.goto((await address.getAttribute('href')) ?? '');
    expect((await vmPage.textContent('body'))?.trim()).toBe('ok');
    await vmPage.close();
    await waitFor(
      'log lines',
      async () =>
        (await page.getByRole('log').textContent())?.includes('swiftor test VM started')
          ? true
          : undefined,
      30_000,
    ).catch(async (error: Error) => {
      await page.screenshot({ path: join(SHOTS, 'failure-logs.png'), fullPage: true });
      const seen = await page.evaluate(
        async (id) => (await fetch(`/api/v1/vms/${id}/logs?follow=false&tail=20`)).text(),
        vmId,
      );
      throw new Error(`${error.message}; the logs endpoint now says: ${seen}`);
    });
    await shoot(page, 'vm-page');

    await page.getByRole('button', { name: 'Stop' }).click();
    await waitFor(
      'stopped',
      async () => ((await status.getAttribute('data-status')) === 'stopped' ? true : undefined),
      60_000,
    );
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(
      'running again',
      async () => ((await status.getAttribute('data-status')) === 'running' ? true : undefined),
      60_000,
    );

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My VMs' })
      .click();
    await page.locator(`[data-vm="${vmId}"]`).waitFor();
    await shoot(page, 'vm-list');

    // A second user sees nothing of it.
    const bobContext = await browser.newContext();
    const bob = await bobContext.newPage();
    await signIn(bob, 'bob');
    await bob.getByText('No VMs yet.').waitFor();
    expect(await bob.locator(`[data-vm="${vmId}"]`).count()).toBe(0);
    await bob.goto(`${server.url}/vms/${vmId}`);
    await expect(bob.getByRole('alert').textContent()).resolves.toContain(`no VM ${vmId}`);
    await bobContext.close();

    const row = page.locator(`[data-vm="${vmId}"]`);
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect(row.getByRole('dialog').textContent()).resolves.toContain(
      'Your shared storage is never deleted.',
    );
    await row.getByRole('button', { name: 'Delete VM' }).click();
    await waitFor(
      'the VM to leave the list',
      async () => ((await page.locator(`[data-vm="${vmId}"]`).count()) === 0 ? true : undefined),
      30_000,
    );
    await waitFor(
      'its service to go',
      async () =>
        (await engineRequest('GET', `/services/vm-${vmId}`)).status === 404 ? true : undefined,
      30_000,
    );
    vmId = '';
    await page.close();
  });

  it('reveals the VM password after the login password, and rotates it', async () => {
    const page = await browser.newPage();
    await signIn(page, 'alice');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Account' })
      .click();
    const section = page.getByRole('region', { name: 'VM password' });
    await section.getByLabel('Your login password').fill('wrong');
    await section.getByRole('button', { name: 'Reveal' }).click();
    await expect(section.getByRole('alert').textContent()).resolves.toContain('wrong password');
    await section.getByLabel('Your login password').fill('alice-password');
    await section.getByRole('button', { name: 'Reveal' }).click();
    const first = await page.getByTestId('vm-password').textContent();
    expect(first).toMatch(/^[A-Za-z0-9]{20}$/);
    await section.getByRole('button', { name: 'Rotate VM password' }).click();
    await section.getByRole('status').getByText('Rotated.').waitFor();
    await section.getByLabel('Your login password').fill('alice-password');
    await section.getByRole('button', { name: 'Reveal' }).click();
    const second = await page.getByTestId('vm-password').textContent();
    expect(second).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(second).not.toBe(first);
    await page.close();
  });
});
