/**
 * `swiftor try`: an image contributor's one-command check. Validates the entry, compiles it
 * with ingress `ports`, creates its storage, deploys it to the local engine with progress,
 * prints its URLs, follows its logs, and removes the service on Ctrl-C unless --keep.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileService } from '../../compiler/compile-service.js';
import { DEFAULT_PLATFORM } from '../../compiler/deploy-context.js';
import type { EnginePort, PullPolicy } from '../../domain/engine-port.js';
import { EngineUnavailableError } from '../../domain/errors.js';
import { isUsername, newVmId } from '../../domain/identifiers.js';
import { connectDockerEngine } from '../../driver/docker-engine.js';
import { deployVm, waitForVm } from '../../services/deploy-vm.js';
import { vmUrls } from '../../services/vm-urls.js';
import { UserStorage } from '../../storage/user-storage.js';
import { type CliIo, interruptSignal, UsageError } from '../cli-io.js';
import { selectEntry } from '../select-entry.js';

export const tryHelp = `Usage: swiftor try FILE [--entry NAME] [options]

Deploys one catalog entry to the local Docker engine (Swarm mode) with its ports
published on this host, waits until it runs, prints its URLs and follows its logs.
Ctrl-C removes the service (storage is kept) unless --keep is given.

Options:
  --entry NAME           entry to try (needed when FILE has several)
  --distribution D       webtop distribution (with --desktop)
  --desktop K            webtop desktop (with --distribution)
  --user U               owner username (default: contributor)
  --storage-root DIR     storage root (default ./data/try)
  --pull POLICY          always | if-not-present | never (default if-not-present)
  --engine URL           Docker engine (default unix:///var/run/docker.sock)
  --timeout SECONDS      give up waiting for "running" after this long (default 300)
  --host HOST            host name printed in URLs (default 127.0.0.1)
  --keep                 leave the VM running on exit`;

const PULL_POLICIES: PullPolicy[] = ['always', 'if-not-present', 'never'];

export async function runTry(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      entry: { type: 'string' },
      distribution: { type: 'string' },
      desktop: { type: 'string' },
      user: { type: 'string', default: 'contributor' },
      'storage-root': { type: 'string', default: 'data/try' },
      pull: { type: 'string', default: 'if-not-present' },
      engine: { type: 'string', default: 'unix:///var/run/docker.sock' },
      timeout: { type: 'string', default: '300' },
      host: { type: 'string', default: '127.0.0.1' },
      keep: { type: 'boolean', default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('try takes exactly one FILE');
  const pullPolicy = values.pull as PullPolicy;
  if (!PULL_POLICIES.includes(pullPolicy))
    throw new UsageError(`--pull must be one of ${PULL_POLICIES.join(', ')}`);
  if (!isUsername(values.user))
    throw new UsageError(
      `--user "${values.user}" is not a valid username (a-z, 0-9, -; 3-32 characters)`,
    );
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new UsageError('--timeout must be a number of seconds');

  const entry = await selectEntry(file, values.entry);
  let engine: EnginePort;
  try {
    engine = await connectDockerEngine({ url: values.engine });
  } catch (error) {
    if (error instanceof EngineUnavailableError) {
      throw new EngineUnavailableError(
        `cannot reach the Docker engine at ${values.engine}: is Docker running? (scripts/start-test-engine.sh starts one for development)`,
      );
    }
    throw error;
  }
  const info = await engine.info();
  if (!info.swarmActive) {
    io.err(
      `swiftor try: Swarm mode is not active on the engine at ${values.engine}; run "docker swarm init" first`,
    );
    return 1;
  }

  const vmId = newVmId();
  const storageRoot = resolve(values['storage-root']);
  const password = randomBytes(12).toString('base64url');
  const compiled = compileService(entry.config, {
    username: values.user,
    vmId,
    entry: entry.name,
    password: { value: password, version: 1 },
    ...(values.distribution !== undefined ? { distribution: values.distribution } : {}),
    ...(values.desktop !== undefined ? { desktop: values.desktop } : {}),
    platform: {
      ...DEFAULT_PLATFORM,
      ingress: 'ports',
      network: undefined,
      storageRoot,
      engineApiVersion: info.apiVersion,
    },
  });
  for (const warning of compiled.warnings) io.err(`warning: ${warning}`);
  io.err(
    `swiftor try: ${entry.name} as ${compiled.spec.Name} (user ${values.user}) on Docker Engine ${info.engineVersion}, API ${info.apiVersion}`,
  );
  io.err(`  VM password for this try: ${password}`);

  const interrupt = interruptSignal(io);
  let created = false;
  try {
    await deployVm(
      compiled,
      { engine, storage: new UserStorage(storageRoot), pullPolicy },
      (phase, detail) => {
        if (phase === 'creating') created = true;
        io.err(`  → ${phase}${detail ? `: ${detail}` : ''}`);
      },
    );
    const { status, observed } = await waitForVm(engine, vmId, {
      timeoutMs,
      signal: interrupt,
      onStatus: (s) => io.err(`  · ${s.status}${s.reason ? `: ${s.reason}` : ''}`),
    });
    if (status.status !== 'running') {
      io.err(`swiftor try: ${entry.name} did not start: ${status.reason ?? status.status}`);
      return 1;
    }
    io.err(`  ✓ running; storage: ${compiled.directories.map((d) => d.path).join(', ')}`);
    for (const url of vmUrls(compiled.endpoints, observed, values.host)) {
      const port = compiled.endpoints.find((e) => e.name === url.name && e.kind === url.kind)?.port;
      const note =
        url.kind === 'route' ? ` (container port ${port}; under Traefik: /${url.name}/)` : '';
      io.out(`${url.name.padEnd(8)} ${url.url}${note}`);
    }
    io.err(
      `  following logs; Ctrl-C ${values.keep ? 'stops following (the VM keeps running)' : 'removes the VM (storage is kept)'}`,
    );
    for await (const line of engine.logs(vmId, {
      follow: true,
      timestamps: false,
      tail: 100,
      signal: interrupt,
    })) {
      io.out(`${line.stream === 'stderr' ? '!' : '|'} ${line.text}`);
    }
    return 0;
  } finally {
    if (created && !values.keep) {
      await engine.removeService(vmId).then(
        () =>
          io.err(
            `  removed ${compiled.spec.Name}; storage kept under ${resolve(storageRoot, values.user)}`,
          ),
        (error: Error) => io.err(`  could not remove ${compiled.spec.Name}: ${error.message}`),
      );
    } else if (created) {
      io.err(
        `  ${compiled.spec.Name} keeps running (--keep); remove it with: docker service rm ${compiled.spec.Name}`,
      );
    }
  }
}
