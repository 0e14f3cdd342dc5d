/**
 * `swiftor init`: from a fresh Swarm to a running platform with one configuration file.
 * Creates or updates, idempotently, the shared network, Traefik, its dynamic configuration
 * and secrets, and the control plane as Swarm services. `--dry-run` changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DockerCluster } from '../../driver/docker-cluster.js';
import { connectDockerEngine } from '../../driver/docker-engine.js';
import { applyInit } from '../../init/apply-init.js';
import { type InitConfig, loadInitConfig, parseInitConfig } from '../../init/init-config.js';
import { planInit } from '../../init/plan-init.js';
import { type CliIo, UsageError } from '../cli-io.js';

export const initHelp = `Usage: swiftor init --config FILE [--dry-run] [--init-swarm] [--ingress ports]

Sets up Swiftor on a Docker Swarm: the overlay network VMs and Traefik share, Traefik v3
(Swarm provider, HTTPS with a wildcard certificate, forward-auth, a fallback page), and the
control plane as a Swarm service. Running it again with the same file changes nothing; a
changed file updates the services in place.

Options:
  --config FILE      the init configuration (YAML); see docs/deploy.md
  --domain D         instead of a file, for a quick start: the platform domain
  --dry-run          print what would be created or changed, change nothing
  --init-swarm       initialise a single-node Swarm if this engine is not in one
  --ingress ports    a laptop/single-host setup without Traefik
  --engine URL       Docker engine (default unix:///var/run/docker.sock)`;

export async function runInit(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      domain: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'init-swarm': { type: 'boolean', default: false },
      ingress: { type: 'string' },
      engine: { type: 'string', default: 'unix:///var/run/docker.sock' },
    },
  });
  if (!values.config && !values.domain)
    throw new UsageError('init needs --config FILE (or --domain D for a quick start)');
  let config: InitConfig = values.config
    ? await loadInitConfig(values.config)
    : parseInitConfig({ domain: values.domain });
  if (values.ingress) {
    if (values.ingress !== 'ports' && values.ingress !== 'traefik')
      throw new UsageError('--ingress must be traefik or ports');
    config = { ...config, ingress: values.ingress };
  }
  if (config.ingress === 'traefik' && !config.acme) {
    io.err(
      'warning: no acme section: Traefik serves its default certificate; add acme (dns or http challenge) for real certificates',
    );
  }

  const engine = await connectDockerEngine({ url: values.engine });
  const cluster = new DockerCluster(engine);
  const swarm = await cluster.swarm();
  if (!swarm.active) {
    if (!values['init-swarm']) {
      io.err(
        'swiftor init: this engine is not in Swarm mode; run "docker swarm init" or pass --init-swarm for a single-node Swarm',
      );
      return 1;
    }
    if (!values['dry-run']) await cluster.initSwarm();
    io.err('initialised a single-node Swarm');
  } else if (!swarm.manager) {
    io.err('swiftor init: this node is a Swarm worker; run init on a manager node');
    return 1;
  }
  io.err(
    `Docker Engine ${swarm.engineVersion} (API ${swarm.apiVersion}), Swarm manager${values['dry-run'] ? ' — dry run, nothing will change' : ''}`,
  );

  // Keep the control plane's key across runs: sealed VM passwords depend on it.
  const existingKey = (await cluster.objectNames('secret'))
    .filter((n) => n.startsWith('swiftor-secret-key-'))
    .sort()
    .at(-1);
  const plan = planInit(
    config,
    existingKey ? { existingName: existingKey } : { value: randomBytes(32).toString('base64') },
  );
  const steps = await applyInit(plan, cluster, values['dry-run']);
  for (const step of steps) io.out(`${step.action.padEnd(9)} ${step.object}`);
  const changed = steps.filter((s) => s.action !== 'unchanged').length;
  io.err(
    values['dry-run']
      ? `${changed} change(s) would be made`
      : changed
        ? `${changed} change(s) made`
        : 'nothing to change',
  );
  if (!values['dry-run'] && config.ingress === 'traefik')
    io.err(
      `open https://${config.domain}/ once DNS for ${config.domain} and *.${config.domain} points at this Swarm`,
    );
  return 0;
}
