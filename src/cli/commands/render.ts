/** `swiftor render`: prints the ServiceSpec Swiftor would send to POST /services/create. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileService } from '../../compiler/compile-service.js';
import {
  DEFAULT_PLATFORM,
  type IngressMode,
  PASSWORD_PLACEHOLDER,
} from '../../compiler/deploy-context.js';
import { type CliIo, UsageError } from '../cli-io.js';
import { selectEntry } from '../select-entry.js';

export const renderHelp = `Usage: swiftor render FILE [--entry NAME] --user U --vm-id ID [options]

Prints the Docker Engine ServiceSpec for one catalog entry as JSON on stdout, ready for
POST /services/create. Warnings go to stderr.

Options:
  --entry NAME             entry to render (needed when FILE has several)
  --user U                 owner username (e.g. alice)
  --vm-id ID               VM id: 10-16 characters of a-z and 0-9
  --distribution D         webtop distribution (with --desktop)
  --desktop K              webtop desktop (with --distribution)
  --domain D               base domain (default ${DEFAULT_PLATFORM.domain})
  --storage-root DIR       storage root (default ${DEFAULT_PLATFORM.storageRoot})
  --network NAME           overlay network (default ${DEFAULT_PLATFORM.network})
  --ingress traefik|ports  how the VM is reached (default traefik)
  --engine-api V           Engine API version to target (default ${DEFAULT_PLATFORM.engineApiVersion})
  --trusted                treat the entry as operator-trusted (absolute host paths)
  --password-file F        VM password from file F (default: a placeholder)
  --all                    print directories, secret names, URLs and warnings too`;

export async function runRender(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      entry: { type: 'string' },
      user: { type: 'string' },
      'vm-id': { type: 'string' },
      distribution: { type: 'string' },
      desktop: { type: 'string' },
      domain: { type: 'string', default: DEFAULT_PLATFORM.domain },
      'storage-root': { type: 'string', default: DEFAULT_PLATFORM.storageRoot },
      network: { type: 'string' },
      ingress: { type: 'string', default: 'traefik' },
      'engine-api': { type: 'string', default: DEFAULT_PLATFORM.engineApiVersion },
      trusted: { type: 'boolean', default: false },
      'password-file': { type: 'string' },
      all: { type: 'boolean', default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('render takes exactly one FILE');
  if (!values.user) throw new UsageError('render needs --user');
  if (!values['vm-id']) throw new UsageError('render needs --vm-id');
  if (values.ingress !== 'traefik' && values.ingress !== 'ports') {
    throw new UsageError(`--ingress must be traefik or ports, not "${values.ingress}"`);
  }
  const ingress: IngressMode = values.ingress;
  const entry = await selectEntry(file, values.entry);
  const password = values['password-file']
    ? (await readFile(values['password-file'], 'utf8')).replace(/\r?\n$/, '')
    : PASSWORD_PLACEHOLDER;
  const network = values.network ?? (ingress === 'traefik' ? DEFAULT_PLATFORM.network : undefined);
  const compiled = compileService(entry.config, {
    username: values.user,
    vmId: values['vm-id'],
    entry: entry.name,
    password: { value: password, version: 1 },
    ...(values.distribution !== undefined ? { distribution: values.distribution } : {}),
    ...(values.desktop !== undefined ? { desktop: values.desktop } : {}),
    platform: {
      ...DEFAULT_PLATFORM,
      domain: values.domain,
      storageRoot: resolve(values['storage-root']),
      ingress,
      engineApiVersion: values['engine-api'],
      trustedEntries: values.trusted ? [entry.name] : [],
      ...(network ? { network } : { network: undefined }),
    },
  });
  for (const warning of compiled.warnings) io.err(`warning: ${warning}`);
  if (compiled.secrets.length > 0) {
    io.err(
      `note: create these Swarm secrets first and set their SecretID in the spec: ${compiled.secrets.map((s) => s.name).join(', ')}`,
    );
  }
  if (values.all) {
    const secrets = compiled.secrets.map(({ name, envName }) => ({ name, envName }));
    io.out(JSON.stringify({ ...compiled, secrets }, null, 2));
  } else {
    io.out(JSON.stringify(compiled.spec, null, 2));
  }
  return 0;
}
