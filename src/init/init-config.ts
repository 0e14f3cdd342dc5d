/**
 * The operator's one configuration file for `swiftor init` (YAML). Everything the platform
 * needs on a Swarm: domain, certificates, Traefik, the control plane's image and mounts.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeIssues, formatFieldPath } from '../domain/describe-issues.js';
import { ValidationError } from '../domain/errors.js';

const absolute = z.string().regex(/^\//, { error: 'must be an absolute host path' });

export const InitConfigSchema = z.strictObject({
  domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, {
    error: 'the wildcard DNS domain, e.g. swiftor.example.com',
  }),
  ingress: z.enum(['traefik', 'ports']).default('traefik'),
  network: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/)
    .default('swiftor_edge'),
  acme: z
    .strictObject({
      email: z.email({ error: "the e-mail address Let's Encrypt writes to" }),
      challenge: z.enum(['dns', 'http']).default('dns'),
      dns_provider: z
        .string()
        .optional()
        .describe('lego provider name, e.g. cloudflare (dns challenge)'),
      credentials: z
        .record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string())
        .default({})
        .describe('provider credentials; delivered as Swarm secrets'),
      staging: z.boolean().default(false),
    })
    .optional()
    .refine((acme) => !acme || acme.challenge === 'http' || acme.dns_provider, {
      error: 'acme.dns_provider is required for the dns challenge (or use challenge: http)',
    }),
  traefik: z
    .strictObject({
      image: z.string().default('traefik:v3.6'),
      refresh_seconds: z.number().int().min(1).max(15).default(5),
      read_timeout_seconds: z.number().int().min(60).default(600),
    })
    .prefault({}),
  control_plane: z
    .strictObject({
      image: z.string().default('swiftor/swiftor:latest'),
      replicas: z.number().int().min(1).max(5).default(1),
      port: z
        .number()
        .int()
        .min(1)
        .max(65535)
        .default(8080)
        .describe('host port of the control plane with ingress ports'),
      data_dir: absolute.default('/var/lib/swiftor/data'),
      storage_root: absolute.default('/var/lib/swiftor/storage'),
      database_url: z
        .string()
        .regex(/^postgres(ql)?:\/\//)
        .optional()
        .describe('needed for more than one replica'),
      env: z.record(z.string().regex(/^SWIFTOR_[A-Z_]+$/), z.string()).default({}),
    })
    .prefault({}),
});

export type InitConfig = z.output<typeof InitConfigSchema>;

export function parseInitConfig(input: unknown): InitConfig {
  const result = InitConfigSchema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      'invalid init configuration',
      describeIssues(result.error.issues).map((i) => ({
        field: formatFieldPath(i.path) || '(file)',
        detail: i.message,
      })),
    );
  }
  if (result.data.control_plane.replicas > 1 && !result.data.control_plane.database_url) {
    throw new ValidationError('invalid init configuration', [
      {
        field: 'control_plane.database_url',
        detail: 'more than one replica needs PostgreSQL (SQLite is a single-server database)',
      },
    ]);
  }
  return result.data;
}

export async function loadInitConfig(path: string): Promise<InitConfig> {
  return parseInitConfig(parse(await readFile(path, 'utf8')) ?? {});
}
