/** A deploy context for tests; override only what a test is about. */
import type { DeployContext, PlatformSettings } from '../../src/compiler/deploy-context.js';
import {
  type ImageConfig,
  type ImageConfigInput,
  ImageConfigSchema,
} from '../../src/domain/image-config.js';

export const TEST_PLATFORM: PlatformSettings = {
  domain: 'swiftor.io',
  storageRoot: '/srv/swiftor',
  network: 'swiftor_edge',
  ingress: 'traefik',
  traefik: {
    entrypoint: 'websecure',
    certResolver: 'le',
    forwardAuthMiddleware: 'swiftor-auth@file',
  },
  engineApiVersion: '1.45',
  defaults: { puid: 1000, pgid: 1000, tz: 'Etc/UTC' },
  trustedEntries: [],
};

export function testContext(
  overrides: Partial<DeployContext> = {},
  platform: Partial<PlatformSettings> = {},
): DeployContext {
  return {
    username: 'alice',
    vmId: 'k3x9a0b2c4',
    entry: 'test-entry',
    password: { value: 's3cret-pass', version: 1 },
    ...overrides,
    platform: { ...TEST_PLATFORM, ...platform },
  };
}

/** Parses an ImageConfig the way the catalog does (defaults filled in). */
export function config(input: ImageConfigInput): ImageConfig {
  return ImageConfigSchema.parse(input);
}
