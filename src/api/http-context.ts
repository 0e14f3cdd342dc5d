/** What route handlers get besides the request: the services and the caller. */
import type { Context } from 'hono';
import type { Catalog } from '../catalog/load-catalog.js';
import type { PlatformConfig } from '../config/platform-config.js';
import type { EnginePort } from '../domain/engine-port.js';
import { UnauthenticatedError } from '../domain/errors.js';
import type { Store } from '../domain/store-port.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Actor, AuthService } from '../services/auth-service.js';
import type { UserService } from '../services/user-service.js';
import type { VmEvents } from '../services/vm-events.js';
import type { VmService } from '../services/vm-service.js';

export interface ApiDeps {
  config: Pick<PlatformConfig, 'domain' | 'publicUrl' | 'openSignup'>;
  store: Store;
  engine: EnginePort;
  catalog: Catalog;
  auth: AuthService;
  users: UserService;
  vms: VmService;
  events: VmEvents;
  metrics: Metrics;
  log: Logger;
}

export type AppEnv = { Variables: { actor: Actor | undefined } };

export const SESSION_COOKIE = 'swiftor_session';

export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (!actor)
    throw new UnauthenticatedError(
      'sign in first (session cookie or Authorization: Bearer <api token>)',
    );
  return actor;
}
