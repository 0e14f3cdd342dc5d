/**
 * Configuration, parsed once from the environment. This module is the only reader of
 * `process.env`; everything else receives the parsed object from the composition root.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { StorageMode } from '../compiler/deploy-context.js';
import { describeIssues, formatFieldPath } from '../domain/describe-issues.js';
import { ValidationError } from '../domain/errors.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));
const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  SWIFTOR_LISTEN: z
    .string()
    .regex(/^[^:]*:\d+$/, { error: 'use HOST:PORT, e.g. 127.0.0.1:8080' })
    .default('127.0.0.1:8080'),
  SWIFTOR_DATA_DIR: z.string().default('./data'),
  SWIFTOR_STORAGE_ROOT: z.string().optional(),
  SWIFTOR_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, { error: 'a lowercase domain such as swiftor.example.com' })
    .default('swiftor.localhost'),
  SWIFTOR_PUBLIC_URL: z.url().optional(),
  SWIFTOR_INGRESS: z.enum(['ports', 'traefik']).default('ports'),
  SWIFTOR_CATALOG_DIR: z.string().optional(),
  SWIFTOR_ADMIN_PASSWORD: z.string().min(8, { error: 'at least 8 characters' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'a postgres:// URL' })
    .optional(),
  SWIFTOR_DOCKER_HOST: z.string().default('unix:///var/run/docker.sock'),
  SWIFTOR_NETWORK: z.string().default('swiftor_edge'),
  SWIFTOR_TRAEFIK_ENTRYPOINT: z.string().default('websecure'),
  SWIFTOR_TRAEFIK_CERT_RESOLVER: z.string().default('le'),
  SWIFTOR_FORWARD_AUTH_MIDDLEWARE: z.string().default('swiftor-auth@file'),
  SWIFTOR_PULL_POLICY: z.enum(['always', 'if-not-present', 'never']).default('if-not-present'),
  SWIFTOR_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,44}$/, { error: '32 bytes, base64' })
    .optional(),
  SWIFTOR_MAX_VMS: positiveInt.default(5),
  SWIFTOR_MAX_RUNNING_VMS: positiveInt.default(2),
  SWIFTOR_RECONCILE_INTERVAL: positiveInt.default(10),
  SWIFTOR_ORPHAN_GRACE: positiveInt.default(120),
  SWIFTOR_OPEN_SIGNUP: bool.default(false),
  SWIFTOR_TRUSTED_ENTRIES: z.string().default(''),
  SWIFTOR_PUBLIC_HOST: z.string().optional(),
  SWIFTOR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SWIFTOR_STORAGE_MODE: z.enum(['bind', 'nfs']).default('bind'),
  SWIFTOR_NFS_ADDRESS: z.string().optional(),
  SWIFTOR_NFS_EXPORT: z
    .string()
    .regex(/^\//, { error: 'the absolute export path on the NFS server' })
    .optional(),
  SWIFTOR_NFS_OPTIONS: z.string().optional(),
});

export interface PlatformConfig {
  listen: { host: string; port: number };
  dataDir: string;
  storageRoot: string;
  domain: string;
  /** Where users reach the platform itself, e.g. https://swiftor.example.com. */
  publicUrl: string;
  ingress: 'ports' | 'traefik';
  catalogDir?: string;
  adminPassword?: string;
  databaseUrl?: string;
  dockerHost: string;
  network: string;
  traefik: { entrypoint: string; certResolver: string; forwardAuthMiddleware: string };
  pullPolicy: 'always' | 'if-not-present' | 'never';
  secretKey?: string;
  quotas: { maxVms: number; maxRunningVms: number };
  reconcileIntervalMs: number;
  orphanGraceMs: number;
  openSignup: boolean;
  trustedEntries: string[];
  /** Host printed in URLs of VMs with ingress `ports`. */
  publicHost: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  storage: StorageMode;
}

/** Reads `NAME_FILE` (a Swarm secret's path) into `NAME` for the secrets that support it. */
function withSecretFiles(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const merged = { ...env };
  for (const name of ['SWIFTOR_SECRET_KEY', 'DATABASE_URL', 'SWIFTOR_ADMIN_PASSWORD']) {
    const file = env[`${name}_FILE`];
    if (file && merged[name] === undefined) merged[name] = readFileSync(file, 'utf8').trim();
  }
  return merged;
}

function storageMode(e: z.output<typeof EnvSchema>): StorageMode {
  if (e.SWIFTOR_STORAGE_MODE === 'bind') return { kind: 'bind' };
  if (!e.SWIFTOR_NFS_ADDRESS || !e.SWIFTOR_NFS_EXPORT) {
    throw new ValidationError('invalid configuration', [
      {
        field: 'SWIFTOR_STORAGE_MODE',
        detail:
          'nfs needs SWIFTOR_NFS_ADDRESS (the server) and SWIFTOR_NFS_EXPORT (its path that is mounted at SWIFTOR_STORAGE_ROOT here)',
      },
    ]);
  }
  return {
    kind: 'nfs',
    address: e.SWIFTOR_NFS_ADDRESS,
    exportRoot: e.SWIFTOR_NFS_EXPORT,
    ...(e.SWIFTOR_NFS_OPTIONS ? { options: e.SWIFTOR_NFS_OPTIONS } : {}),
  };
}

/** Parses the environment; a bad value is a ValidationError naming the variable and the fix. */
export function loadConfig(
  rawEnv: Record<string, string | undefined> = process.env,
): PlatformConfig {
  const env = withSecretFiles(rawEnv);
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ValidationError(
      'invalid configuration',
      describeIssues(parsed.error.issues).map((i) => ({
        field: formatFieldPath(i.path),
        detail: `${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`,
      })),
    );
  }
  const e = parsed.data;
  const [host = '127.0.0.1', port = '8080'] = [
    e.SWIFTOR_LISTEN.slice(0, e.SWIFTOR_LISTEN.lastIndexOf(':')),
    e.SWIFTOR_LISTEN.slice(e.SWIFTOR_LISTEN.lastIndexOf(':') + 1),
  ];
  const dataDir = resolve(e.SWIFTOR_DATA_DIR);
  const listenHost = host || '0.0.0.0';
  return {
    listen: { host: listenHost, port: Number(port) },
    dataDir,
    storageRoot: resolve(e.SWIFTOR_STORAGE_ROOT ?? `${dataDir}/storage`),
    domain: e.SWIFTOR_DOMAIN,
    publicUrl: (
      e.SWIFTOR_PUBLIC_URL ??
      (e.SWIFTOR_INGRESS === 'traefik'
        ? `https://${e.SWIFTOR_DOMAIN}`
        : `http://${listenHost}:${port}`)
    ).replace(/\/$/, ''),
    ingress: e.SWIFTOR_INGRESS,
    ...(e.SWIFTOR_CATALOG_DIR ? { catalogDir: resolve(e.SWIFTOR_CATALOG_DIR) } : {}),
    ...(e.SWIFTOR_ADMIN_PASSWORD ? { adminPassword: e.SWIFTOR_ADMIN_PASSWORD } : {}),
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    dockerHost: e.SWIFTOR_DOCKER_HOST,
    network: e.SWIFTOR_NETWORK,
    traefik: {
      entrypoint: e.SWIFTOR_TRAEFIK_ENTRYPOINT,
      certResolver: e.SWIFTOR_TRAEFIK_CERT_RESOLVER,
      forwardAuthMiddleware: e.SWIFTOR_FORWARD_AUTH_MIDDLEWARE,
    },
    pullPolicy: e.SWIFTOR_PULL_POLICY,
    ...(e.SWIFTOR_SECRET_KEY ? { secretKey: e.SWIFTOR_SECRET_KEY } : {}),
    quotas: { maxVms: e.SWIFTOR_MAX_VMS, maxRunningVms: e.SWIFTOR_MAX_RUNNING_VMS },
    reconcileIntervalMs: e.SWIFTOR_RECONCILE_INTERVAL * 1000,
    orphanGraceMs: e.SWIFTOR_ORPHAN_GRACE * 1000,
    openSignup: e.SWIFTOR_OPEN_SIGNUP,
    trustedEntries: e.SWIFTOR_TRUSTED_ENTRIES.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    publicHost: e.SWIFTOR_PUBLIC_HOST ?? (listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost),
    logLevel: e.SWIFTOR_LOG_LEVEL,
    storage: storageMode(e),
  };
}
