/**
 * Raw access to the test Docker engine (the one `.ci/run` starts with
 * scripts/start-test-engine.sh). Integration tests use it to check what the platform did,
 * independently of the platform's own driver.
 */
import { request } from 'node:http';

export const DOCKER_SOCKET = process.env.SWIFTOR_TEST_DOCKER_SOCKET ?? '/var/run/docker.sock';

export interface EngineResponse<T = unknown> {
  status: number;
  body: T;
}

/** One Engine API call; `path` includes the version prefix when the test wants one. */
export function engineRequest<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<EngineResponse<T>> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: DOCKER_SOCKET,
        method,
        path,
        timeout: timeoutMs,
        headers: payload
          ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Some endpoints answer plain text (e.g. /_ping).
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`engine request ${method} ${path} timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/**
 * Whether the engine answers. Under CI a missing engine is a failure, never a reason to
 * skip: the suite throws so the run goes red.
 */
export async function engineAvailable(): Promise<boolean> {
  const ok = await engineRequest('GET', '/_ping', undefined, 3000).then(
    (r) => r.status === 200,
    () => false,
  );
  if (!ok && process.env.CI === 'true') {
    throw new Error(
      `CI=true but no Docker engine answers on ${DOCKER_SOCKET}; .ci/run must start it (scripts/start-test-engine.sh)`,
    );
  }
  return ok;
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface TaskJson {
  ID: string;
  DesiredState: string;
  Status: {
    State: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string };
    PortStatus?: { Ports?: { TargetPort: number; PublishedPort: number }[] };
  };
}

/** Waits for the service's task to run and returns it. */
export function waitForRunningTask(serviceId: string, timeoutMs = 60_000): Promise<TaskJson> {
  const filters = encodeURIComponent(
    JSON.stringify({ service: [serviceId], 'desired-state': ['running'] }),
  );
  return waitFor(
    `a running task of ${serviceId}`,
    async () => {
      const { body } = await engineRequest<TaskJson[]>('GET', `/tasks?filters=${filters}`);
      return body.find((t) => t.Status.State === 'running');
    },
    timeoutMs,
  );
}

/** A random VM id for a test run (lowercase a-z0-9, 12 chars). */
export function randomVmId(): string {
  return `t${Math.random().toString(36).slice(2, 8)}${Date.now().toString(36).slice(-5)}`
    .padEnd(12, '0')
    .slice(0, 12);
}

/**
 * Removes what `swiftor init` creates (its services, and the secrets and configs it labels),
 * so a test starts from none; tolerates objects still in use for a few seconds.
 */
export async function removeInitObjects(): Promise<void> {
  for (const name of ['swiftor', 'swiftor-traefik'])
    await engineRequest('DELETE', `/services/${name}`);
  const filters = encodeURIComponent(JSON.stringify({ label: ['io.swiftor.init'] }));
  for (const kind of ['secrets', 'configs']) {
    for (const object of (
      await engineRequest<{ ID: string }[]>('GET', `/${kind}?filters=${filters}`)
    ).body) {
      await waitFor(
        'object removal',
        async () =>
          (await engineRequest('DELETE', `/${kind}/${object.ID}`)).status < 300 ? true : undefined,
        30_000,
        500,
      ).catch(() => {});
    }
  }
}
