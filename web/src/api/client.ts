/** The typed API client, generated from openapi/openapi.json (see `npm run generate`). */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Vm = components['schemas']['Vm'];
export type CatalogEntry = components['schemas']['CatalogEntry'];
export type User = components['schemas']['User'];
export type ApiToken = components['schemas']['ApiToken'];
export type ErrorBody = components['schemas']['Error'];

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/** An API error with the server's message and per-field problems, for showing in place. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody>,
  ) {
    super(body.message ?? `request failed (${status})`);
  }

  /** One line per field problem, or the message. */
  get details(): string[] {
    return this.body.validations?.map((v) => `${v.field}: ${v.detail}`) ?? [];
  }
}

/** Resolves to the data of a successful call, or throws ApiError. */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as Partial<ErrorBody>);
  return data as T;
}
