/** The whole control plane in-process: temp SQLite, temp storage, in-memory engine. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/platform-config.js';
import type { EnginePort } from '../../src/domain/engine-port.js';
import { MemoryEngine } from '../../src/driver/memory-engine.js';
import { createLogger } from '../../src/observability/logger.js';
import { buildPlatform, type Platform } from '../../src/platform.js';

export const TEST_CATALOG = `
httpd:
  image_prefix: ""
  image_name: swiftor-test/httpd
  image_tag: latest
  default_env:
    PASSWORD: \${SWIFTOR_PASSWORD}
  traefik:
    additional_networking: true
  platform:
    title: Test httpd
    secret_env_files: true
`;

export interface TestPlatform extends Platform {
  dataDir: string;
  logLines: string[];
  /** An HTTP call with an optional cookie or bearer token; JSON bodies. */
  call(
    method: string,
    path: string,
    options?: {
      cookie?: string;
      bearer?: string;
      body?: unknown;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  /** Signs in and returns the cookie header value. */
  login(username: string, password: string): Promise<string>;
}

export async function testPlatform(
  env: Record<string, string> = {},
  engine: EnginePort = new MemoryEngine({
    images: ['swiftor-test/httpd:latest'],
    logsFor: () => ['hello'],
  }),
): Promise<TestPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'swiftor-api-'));
  await writeFile(join(dataDir, 'catalog.yaml'), TEST_CATALOG);
  const config = loadConfig({
    SWIFTOR_DATA_DIR: dataDir,
    SWIFTOR_CATALOG_DIR: dataDir,
    SWIFTOR_DOMAIN: 'swiftor.test',
    ...env,
  });
  const logLines: string[] = [];
  const platform = await buildPlatform(config, {
    engine,
    log: createLogger('debug', (l) => logLines.push(l)),
  });
  await platform.users.bootstrapAdmin('admin-password');
  const call: TestPlatform['call'] = (method, path, options = {}) =>
    Promise.resolve(
      platform.app.request(path, {
        method,
        headers: {
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      }),
    );
  const login = async (username: string, password: string) => {
    const response = await call('POST', '/api/v1/auth/login', { body: { username, password } });
    if (response.status !== 200)
      throw new Error(`login ${username} failed: ${response.status} ${await response.text()}`);
    return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };
  return { ...platform, dataDir, logLines, call, login };
}
