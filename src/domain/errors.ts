/**
 * Typed domain errors. Each has a stable `code`; the HTTP layer maps codes to statuses in one
 * place, and the CLI prints `message` plus any `validations`.
 */

/** One problem with one field of an input, e.g. `{field: 'networking.entrypoint_port', detail: '...'}`. */
export interface FieldProblem {
  field: string;
  detail: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly detail: string | undefined;

  constructor(message: string, detail?: string) {
    super(message);
    this.name = new.target.name;
    this.detail = detail;
  }
}

/** Input that can never succeed as given; `validations` names every offending field. */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  readonly validations: FieldProblem[];

  constructor(message: string, validations: FieldProblem[]) {
    super(message);
    this.validations = validations;
  }
}

/** The connected engine cannot honour what the config asks for (e.g. a security profile). */
export class EngineCapabilityError extends DomainError {
  readonly code = 'engine_capability_missing';
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

export class EngineUnavailableError extends DomainError {
  readonly code = 'engine_unavailable';
}

export class QuotaExceededError extends DomainError {
  readonly code = 'quota_exceeded';
}

/** Collects field problems and throws them together, so a user sees every mistake at once. */
export class ProblemList {
  readonly problems: FieldProblem[] = [];

  add(field: string, detail: string): void {
    this.problems.push({ field, detail });
  }

  throwIfAny(message: string): void {
    if (this.problems.length > 0) throw new ValidationError(message, this.problems);
  }
}

/** The image is neither on the node nor pullable; `detail` carries the registry's message. */
export class ImageUnavailableError extends DomainError {
  readonly code = 'image_unavailable';
}

/** A storage path would leave the user's area (symlink, non-directory) — refused, nothing created. */
export class StorageUnsafeError extends DomainError {
  readonly code = 'storage_unsafe';
}

/** A `required: false` folder does not exist; nothing was deployed. */
export class StorageMissingError extends DomainError {
  readonly code = 'storage_missing';
}

/** The engine refused a request as invalid (HTTP 400); `detail` has the engine's message. */
export class EngineRejectedError extends DomainError {
  readonly code = 'engine_rejected';
}

/** No valid session or token. */
export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthenticated';
}

/** Authenticated, but not allowed (e.g. a non-admin managing users). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
