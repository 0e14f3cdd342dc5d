/** `swiftor try` end to end on the real engine, driven in-process with a Ctrl-C signal. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { engineAvailable, engineRequest, waitFor } from '../support/engine.js';

const available = await engineAvailable();

function startTry(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const interrupt = new AbortController();
  const done = runCli(['try', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interrupt: interrupt.signal,
  });
  return { out, err, interrupt, done, vmId: () => /as vm-([a-z0-9]+)/.exec(err.join('\n'))?.[1] };
}

describe.skipIf(!available)('swiftor try', () => {
  let dir: string;
  let catalog: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'swiftor-try-'));
    catalog = join(dir, 'catalog.yaml');
    await writeFile(
      catalog,
      [
        'httpd:',
        '  image_prefix: ""',
        '  image_name: swiftor-test/httpd',
        '  image_tag: latest',
        '  networking:',
        '    entrypoint_port: 3000',
        '    additional_routes: {manage: 3000}',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('deploys, prints working URLs, and removes the VM on Ctrl-C', async () => {
    const run = startTry([catalog, '--storage-root', join(dir, 'storage'), '--user', 'dana']);
    const url = await waitFor(
      'the URL',
      async () => /^main +(http:\S+)/m.exec(run.out.join('\n'))?.[1],
      60_000,
    );
    expect(run.out.join('\n')).toMatch(
      /^manage +http:\S+ \(container port 3000; under Traefik: \/manage\/\)/m,
    );
    const page = await fetch(url, { signal: AbortSignal.timeout(5000) });
    expect(await page.text()).toBe('ok\n');
    const progress = run.err.join('\n');
    for (const phase of [
      '→ preparing-storage',
      '→ pulling',
      '→ creating',
      '→ starting',
      '✓ running',
    ])
      expect(progress).toContain(phase);

    run.interrupt.abort();
    expect(await run.done).toBe(0);
    const vmId = run.vmId();
    expect(run.err.join('\n')).toContain(
      `removed vm-${vmId}; storage kept under ${join(dir, 'storage', 'dana')}`,
    );
    expect((await engineRequest('GET', `/services/vm-${vmId}`)).status).toBe(404);
  });

  it('--keep leaves the VM running', async () => {
    const run = startTry([catalog, '--storage-root', join(dir, 'storage'), '--keep']);
    await waitFor(
      'the URL',
      async () => (/^main +http/m.test(run.out.join('\n')) ? true : undefined),
      60_000,
    );
    run.interrupt.abort();
    expect(await run.done).toBe(0);
    const vmId = run.vmId();
    expect((await engineRequest('GET', `/services/vm-${vmId}`)).status).toBe(200);
    await engineRequest('DELETE', `/services/vm-${vmId}`);
  });

  it('an invalid config gives its FILE:LINE:COL problems and exit 1, deploying nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'httpd:\n  image_name: swiftor-test/httpd\n  security_profile: EXTREME\n');
    const run = startTry([bad]);
    expect(await run.done).toBe(1);
    expect(run.err).toEqual([
      `${bad}:3:21 httpd.security_profile: must be one of NONE, BASIC, ADVANCED, FULL`,
    ]);
  });

  it('an unreachable engine gives one clear message and exit 1', async () => {
    const run = startTry([catalog, '--engine', `unix://${join(dir, 'no-docker.sock')}`]);
    expect(await run.done).toBe(1);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(
      /^swiftor try: cannot reach the Docker engine at unix:\/\/.*no-docker\.sock: is Docker running\?/,
    );
  });

  it('an image found nowhere fails within 10 s with the registry message, creating nothing', async () => {
    const missing = join(dir, 'missing.yaml');
    await writeFile(missing, 'ghost:\n  image_prefix: ""\n  image_name: swiftor-test/ghost\n');
    const started = Date.now();
    const run = startTry([missing, '--storage-root', join(dir, 'storage')]);
    expect(await run.done).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.err.join('\n')).toMatch(
      /image swiftor-test\/ghost is not on this node and could not be pulled: /,
    );
    expect((await engineRequest('GET', `/services/vm-${run.vmId()}`)).status).toBe(404);
  });
});
