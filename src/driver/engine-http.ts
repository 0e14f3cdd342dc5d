/**
 * The one place that performs Docker Engine API requests. dockerode's modem provides the
 * transport (unix socket, TCP/TLS); this wrapper adds what the driver needs everywhere:
 * an explicit API version prefix, explicit query and body (never the spec in the URL),
 * a deadline on every call, and explicit classification of engine errors.
 */
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import {
  ConflictError,
  DomainError,
  EngineRejectedError,
  EngineUnavailableError,
  NotFoundError,
} from '../domain/errors.js';

export interface EngineEndpoint {
  /** `unix:///var/run/docker.sock` (default) or `tcp://host:2375`. */
  url: string;
  /** Deadline for each non-streaming request. */
  timeoutMs: number;
}

export interface CallOptions {
  query?: Record<string, unknown>;
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface ModemError extends Error {
  statusCode?: number;
  json?: { message?: string } | null;
  code?: string;
}

const OK = { 200: true, 201: true, 204: true, 304: true } as const;

export function dockerOptions(url: string): Docker.DockerOptions {
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) };
  const parsed = new URL(url.replace(/^tcp:/, 'http:'));
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 2375),
    protocol: parsed.protocol === 'https:' ? 'https' : 'http',
  };
}

/** Maps a transport or HTTP failure to a domain error with the engine's own message. */
export function classifyEngineError(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error;
  const e = error as ModemError;
  const message = e.json?.message ?? e.message;
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    (e.code && /ECONNREFUSED|ENOENT|EACCES|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH/.test(e.code)) ||
    /socket hang up/.test(e.message)
  ) {
    return new EngineUnavailableError(
      `the Docker engine did not answer ${what}: ${e.code ?? e.name}`,
      e.message,
    );
  }
  switch (e.statusCode) {
    case 404:
      return new NotFoundError(`${what}: ${message}`);
    case 409:
      return new ConflictError(`${what}: ${message}`);
    case 400:
      return new EngineRejectedError(`the engine rejected ${what}: ${message}`, message);
    case 503:
      return new EngineUnavailableError(`the engine is not ready for ${what}: ${message}`, message);
  }
  // Engine 20.10 reports some swarm conflicts as 500; classify those by message.
  if (
    /update out of sequence|rpc error: code = Unknown desc = update out of sequence/i.test(message)
  ) {
    return new ConflictError(`${what}: ${message}`);
  }
  return new EngineRejectedError(`the engine failed ${what}: ${message}`, message);
}

/** docker-modem takes the query from `_query` and the JSON body from `_body` (`{}` = none). */
function modemOptions(options: CallOptions): { _query: Record<string, unknown>; _body: unknown } {
  const query = Object.fromEntries(
    Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined),
  );
  return { _query: query, _body: options.body ?? {} };
}

export class EngineHttp {
  private readonly docker: Docker;
  private version: string | undefined;
  /** Counts requests; tests use it to prove how many calls an operation makes. */
  requestCount = 0;

  constructor(private readonly endpoint: EngineEndpoint) {
    this.docker = new Docker(dockerOptions(endpoint.url));
  }

  /** Prefixes every later path with `/v<version>`. */
  setApiVersion(version: string): void {
    this.version = version;
  }

  private path(path: string, versioned: boolean): string {
    return versioned && this.version ? `/v${this.version}${path}` : path;
  }

  /** A JSON request; resolves with the parsed body. */
  call<T>(
    method: string,
    path: string,
    options: CallOptions = {},
    what = `${method} ${path}`,
    versioned = true,
  ): Promise<T> {
    this.requestCount++;
    const timeoutMs = options.timeoutMs ?? this.endpoint.timeoutMs;
    // An explicit timer and controller, held by this call until it settles: Node 20 can
    // garbage-collect AbortSignal.timeout()/any() signals before they fire.
    const controller = new AbortController();
    const timeout = new Error(`no answer within ${timeoutMs} ms`);
    timeout.name = 'TimeoutError';
    const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
    const onCallerAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    return new Promise<T>((resolve, reject) => {
      this.docker.modem.dial(
        {
          path: `${this.path(path, versioned)}?`,
          method,
          options: modemOptions(options),
          statusCodes: OK,
          abortSignal: controller.signal,
        },
        (error: unknown, data: unknown) => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onCallerAbort);
          if (error)
            reject(
              classifyEngineError(
                controller.signal.aborted ? controller.signal.reason : error,
                what,
              ),
            );
          else resolve(data as T);
        },
      );
    });
  }

  /** A streaming request (logs, pulls, events); the caller consumes and destroys the stream. */
  stream(
    method: string,
    path: string,
    options: CallOptions = {},
    what = `${method} ${path}`,
  ): Promise<Readable> {
    this.requestCount++;
    return new Promise<Readable>((resolve, reject) => {
      this.docker.modem.dial(
        {
          path: `${this.path(path, true)}?`,
          method,
          options: modemOptions(options),
          statusCodes: OK,
          isStream: true,
          ...(options.signal ? { abortSignal: options.signal } : {}),
        },
        (error: unknown, data: unknown) =>
          error ? reject(classifyEngineError(error, what)) : resolve(data as Readable),
      );
    });
  }
}
