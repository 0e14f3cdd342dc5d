/** The control plane as a separate process, started and stopped (or killed) by tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const TEST_IMAGE_CATALOG = `
httpd:
  image_prefix: ""
  image_name: swiftor-test/httpd
  image_tag: latest
  volumes:
    shared:
      host_path: shared
      container_path: /shared
  platform:
    title: Test web server
    description: busybox httpd serving "ok" on port 3000
    category: Testing
    stop_grace_seconds: 1
`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, no cleanup at all. */
  kill(): Promise<void>;
}

/** Writes `catalog` (default: the test image) into `dataDir/catalog/test.yaml` and starts `command` (default: node dist/main.js). */
export async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
  command: string[] = [process.execPath, 'dist/main.js'],
  catalog = TEST_IMAGE_CATALOG,
): Promise<ServerProcess> {
  await mkdir(join(dataDir, 'catalog'), { recursive: true });
  await writeFile(join(dataDir, 'catalog', 'test.yaml'), catalog);
  const port = await freePort();
  const [bin = process.execPath, ...args] = command;
  const child = spawn(bin, args, {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      SWIFTOR_LISTEN: `127.0.0.1:${port}`,
      SWIFTOR_DATA_DIR: dataDir,
      SWIFTOR_CATALOG_DIR: join(dataDir, 'catalog'),
      SWIFTOR_ADMIN_PASSWORD: 'admin-password',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${output.join('')}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes('swiftor is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join('')}`));
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), signal);
    } catch {
      // Already gone.
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    stop: async () => {
      signalGroup('SIGTERM');
      return exited;
    },
    kill: async () => {
      signalGroup('SIGKILL');
      await exited;
    },
  };
}

/** A small API client for scripted sessions. */
export class ApiClient {
  private cookie = '';

  constructor(readonly baseUrl: string) {}

  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async login(username: string, password: string): Promise<void> {
    const { status, body } = await this.call('POST', '/api/v1/auth/login', { username, password });
    if (status !== 200) throw new Error(`login failed: ${status} ${JSON.stringify(body)}`);
  }
}
