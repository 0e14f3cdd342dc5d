/**
 * The seed's ImageConfig, field for field (snake_case names, types, defaults), plus one
 * optional `platform` block of Swiftor extensions. A config that only uses seed fields means
 * exactly what the seed says; extensions only add display data and deployment tuning.
 */
import { z } from 'zod';
import { parseByteSize } from './byte-size.js';
import { checkVariables } from './swiftor-variables.js';

export const SECURITY_PROFILES = ['NONE', 'BASIC', 'ADVANCED', 'FULL'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

export const DEFAULT_IMAGE_PREFIX = 'registry.swiftor.io/linuxserver/';

const port = z
  .number({ error: 'must be a port number (an integer from 1 to 65535)' })
  .int({ error: 'must be a whole number from 1 to 65535' })
  .min(1, { error: 'must be from 1 to 65535' })
  .max(65535, { error: 'must be from 1 to 65535' });

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'an environment variable name uses letters, digits and _ and does not start with a digit',
});

const envMap = z.record(envName, z.string({ error: 'must be a string; quote the value' }));

const containerPath = z
  .string()
  .regex(/^\/[^\0]*$/, { error: 'must be an absolute path inside the container, e.g. "/data"' })
  .refine((p) => !p.split('/').includes('..'), { error: 'must not contain ".." segments' })
  .refine((p) => p.replace(/\/+$/, '') !== '', { error: 'must not be "/"' });

/** Route names become part of a URL path and of Traefik router names. */
const routeName = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
  error: 'a route is one URL path segment of a-z, 0-9 and -, e.g. "manage" for /manage/',
});

export const VolumeBindingSchema = z.strictObject({
  host_path: z
    .string({ error: 'host_path is required: a folder relative to the user storage, e.g. "data"' })
    .refine((p) => !p.includes('\0'), { error: 'must not contain NUL' }),
  container_path: containerPath,
  required: z
    .boolean()
    .default(true)
    .describe('Create the folder if missing; false: it must already exist.'),
});

export const NetworkingConfigSchema = z.strictObject({
  entrypoint_port: port.default(3000).describe('Port the app listens on; served at the VM URL.'),
  additional_routes: z
    .record(routeName, port)
    .default({})
    .describe('Path -> port, e.g. {"manage": 8081} serves https://<vm>/manage/.'),
});

export const TraefikConfigSchema = z.strictObject({
  enable: z.boolean().default(true).describe('Route the VM through Traefik.'),
  custom_labels: z
    .array(
      z
        .string()
        .regex(/^[^=\s]+=/, { error: 'a label is written "key=value", e.g. "traefik.x=y"' }),
    )
    .default([])
    .describe("Raw Traefik labels, confined to this VM's hosts and vm-<vm-id> names."),
  additional_networking: z
    .boolean()
    .default(false)
    .describe('Owners may add port forwards at <name>-<vm-id>.<domain>.'),
});

const byteSize = z.union([z.string(), z.number()]).refine((v) => parseByteSize(v) !== undefined, {
  error: 'must be a size such as "1g", "512m" or a byte count',
});

/** Swiftor extensions. All optional; none changes the meaning of a seed field. */
export const PlatformExtensionsSchema = z
  .strictObject({
    title: z.string().min(1).max(80).optional().describe('Display name in the catalog.'),
    description: z.string().max(500).optional().describe('One or two sentences for the catalog.'),
    icon: z.string().optional().describe('Icon URL or path shown in the catalog.'),
    category: z.string().max(40).optional().describe('Catalog grouping, e.g. "Desktops".'),
    webtop_variants: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9.]*$/),
        z.array(z.string().regex(/^[a-z0-9][a-z0-9.]*$/)).min(1),
      )
      .optional()
      .describe('Allowed distribution -> desktops for a webtop; unset allows any combination.'),
    webtop_tags: z
      .record(z.string(), z.string())
      .optional()
      .describe('Tag overrides for distribution-desktop pairs, e.g. {"alpine-xfce": "latest"}.'),
    shm_size: byteSize
      .optional()
      .describe('Size of /dev/shm (a tmpfs). Default 1g for webtops, 64m otherwise.'),
    resources: z
      .strictObject({
        cpus: z.number().positive().max(512).optional().describe('CPU limit, e.g. 2 or 0.5.'),
        memory: byteSize.optional().describe('Memory limit, e.g. "4g".'),
        pids: z.number().int().positive().optional().describe('Process count limit.'),
        reserve_cpus: z
          .number()
          .positive()
          .max(512)
          .optional()
          .describe('CPUs Swarm reserves on the node (spreads VMs by load).'),
        reserve_memory: byteSize
          .optional()
          .describe('Memory Swarm reserves on the node, e.g. "2g".'),
      })
      .optional(),
    secret_env_files: z
      .boolean()
      .optional()
      .describe(
        'The image reads FILE__NAME=/path (linuxserver convention): env values holding the VM password are delivered as Swarm secrets.',
      ),
    placement: z
      .array(
        z.string().regex(/^(node|engine)\.[\w.-]+\s*(==|!=)\s*\S+$/, {
          error: 'a Swarm constraint such as "node.labels.swiftor.desktops == true"',
        }),
      )
      .optional()
      .describe('Swarm placement constraints, e.g. ["node.labels.swiftor.desktops == true"].'),
    stop_grace_seconds: z
      .number()
      .int()
      .min(1)
      .max(600)
      .optional()
      .describe('Seconds the container gets to stop before it is killed (default 30).'),
    init: z
      .boolean()
      .optional()
      .describe('Run an init (tini) as PID 1. Leave false for linuxserver images (s6-overlay).'),
  })
  .describe('Swiftor platform extensions; optional, never change what seed fields mean.');

const ImageConfigObject = z.strictObject({
  image_prefix: z
    .string()
    .default(DEFAULT_IMAGE_PREFIX)
    .describe('Registry prefix of the image name; "" for Docker Hub, e.g. "ghcr.io/acme/".'),
  image_name: z
    .string({ error: 'image_name is required, e.g. "code-server"' })
    .regex(/^[a-z0-9][a-z0-9._/-]*$/, {
      error: 'an image name is lowercase letters, digits and . _ - /, e.g. "code-server"',
    }),
  image_tag: z
    .string()
    .regex(/^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/, {
      error:
        'a Docker tag is up to 128 letters, digits, _ . and -, e.g. "latest" (empty means none)',
    })
    .nullable()
    .optional(),
  is_webtop: z
    .boolean()
    .default(false)
    .describe('A webtop image: the tag is built from the chosen distribution and desktop.'),
  security_profile: z
    .enum(SECURITY_PROFILES, {
      error: `must be one of ${SECURITY_PROFILES.join(', ')}`,
    })
    .default('NONE'),
  default_env: envMap.default({}).describe('Environment; ${SWIFTOR_*} variables are resolved.'),
  additional_env: envMap.default({}).describe('More environment, applied over default_env.'),
  default_config_path: containerPath
    .default('/config')
    .describe("Container path bound to the VM's own folder, storage/<user>/vms/<vm-id>/."),
  volumes: z
    .record(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
        error: 'a volume name uses letters, digits, _ . and -',
      }),
      VolumeBindingSchema,
    )
    .default({}),
  networking: NetworkingConfigSchema.prefault({}).describe('Ports Traefik routes to.'),
  traefik: TraefikConfigSchema.prefault({}).describe('Traefik reverse proxy settings.'),
  platform: PlatformExtensionsSchema.optional(),
});

/** Checks that need several fields: variable placement and colliding container paths. */
function checkCrossFieldRules(config: z.output<typeof ImageConfigObject>, ctx: z.RefinementCtx) {
  const report = (path: (string | number)[], problems: string[]) => {
    for (const message of problems) ctx.addIssue({ code: 'custom', path, message });
  };
  for (const envKey of ['default_env', 'additional_env'] as const) {
    for (const [name, value] of Object.entries(config[envKey])) {
      report([envKey, name], checkVariables(value, true));
    }
  }
  config.traefik.custom_labels.forEach((label, index) => {
    report(['traefik', 'custom_labels', index], checkVariables(label, false));
  });
  report(['default_config_path'], checkVariables(config.default_config_path, false));
  const targets = new Map<string, string>([
    [trimSlash(config.default_config_path), 'default_config_path'],
  ]);
  for (const [name, volume] of Object.entries(config.volumes)) {
    report(['volumes', name, 'host_path'], checkVariables(volume.host_path, false));
    report(['volumes', name, 'container_path'], checkVariables(volume.container_path, false));
    const target = trimSlash(volume.container_path);
    const other = targets.get(target);
    if (other) {
      report(
        ['volumes', name, 'container_path'],
        [`${volume.container_path} is already mounted by ${other}; choose another container_path`],
      );
    }
    targets.set(target, `volumes.${name}`);
  }
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

export const ImageConfigSchema = ImageConfigObject.superRefine(checkCrossFieldRules);

/** A validated ImageConfig with every default filled in. */
export type ImageConfig = z.output<typeof ImageConfigSchema>;
/** An ImageConfig as a contributor writes it (defaults optional). */
export type ImageConfigInput = z.input<typeof ImageConfigSchema>;
export type VolumeBinding = z.output<typeof VolumeBindingSchema>;
export type PlatformExtensions = z.output<typeof PlatformExtensionsSchema>;
