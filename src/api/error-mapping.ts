/** The one place domain error codes become HTTP statuses and the single error body. */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, RateLimitedError, ValidationError } from '../domain/errors.js';

const STATUS: Record<string, ContentfulStatusCode> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  quota_exceeded: 409,
  rate_limited: 429,
  image_unavailable: 422,
  storage_unsafe: 422,
  storage_missing: 422,
  engine_capability_missing: 422,
  engine_rejected: 502,
  engine_unavailable: 503,
};

export interface ErrorResponse {
  status: ContentfulStatusCode;
  body: {
    code: string;
    message: string;
    detail?: string;
    validations?: { field: string; detail: string }[];
  };
  headers: Record<string, string>;
}

export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) {
    return {
      status: STATUS[error.code] ?? 500,
      body: {
        code: error.code,
        message: error.message,
        ...(error.detail ? { detail: error.detail } : {}),
        ...(error instanceof ValidationError ? { validations: error.validations } : {}),
      },
      headers:
        error instanceof RateLimitedError ? { 'Retry-After': String(error.retryAfterSeconds) } : {},
    };
  }
  return {
    status: 500,
    body: { code: 'internal', message: 'internal error; see the server log' },
    headers: {},
  };
}
