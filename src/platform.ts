/**
 * Builds the whole control plane from configuration: store, engine, catalog, services,
 * reconciler and HTTP app. main.ts uses it with real adapters; tests pass an in-memory
 * engine and a temporary SQLite file and get the same graph.
 */
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from './api/app.js';
import type { AppEnv } from './api/http-context.js';
import { loadSecretKey, SecretBox } from './auth/secret-box.js';
import { type Catalog, loadCatalog } from './catalog/load-catalog.js';
import type { PlatformSettings } from './compiler/deploy-context.js';
import type { PlatformConfig } from './config/platform-config.js';
import type { EnginePort } from './domain/engine-port.js';
import type { StoragePort } from './domain/storage-port.js';
import type { Store } from './domain/store-port.js';
import { DRIVER_MAX_API } from './driver/docker-engine.js';
import { ReconnectingEngine } from './driver/reconnecting-engine.js';
import { instrumentEngine } from './observability/instrumented-engine.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { Reconciler } from './reconciler/reconciler.js';
import { AuthService } from './services/auth-service.js';
import { UserService } from './services/user-service.js';
import { VmEvents } from './services/vm-events.js';
import { VmService } from './services/vm-service.js';
import { createVmSpecBuilder } from './services/vm-spec-builder.js';
import { UserStorage } from './storage/user-storage.js';
import { openStore } from './store/kysely-store.js';

export interface Platform {
  app: OpenAPIHono<AppEnv>;
  store: Store;
  engine: EnginePort;
  catalog: Catalog;
  reconciler: Reconciler;
  users: UserService;
  vms: VmService;
  metrics: Metrics;
  log: Logger;
  close(): Promise<void>;
}

export interface PlatformOverrides {
  engine?: EnginePort;
  storage?: StoragePort;
  log?: Logger;
}

export async function buildPlatform(
  config: PlatformConfig,
  overrides: PlatformOverrides = {},
): Promise<Platform> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const catalog = await loadCatalog(config.catalogDir);
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    sqliteFile: join(config.dataDir, 'swiftor.db'),
  });
  const box = new SecretBox(
    await loadSecretKey(config.secretKey, join(config.dataDir, 'secret.key')),
  );
  const engine = instrumentEngine(
    overrides.engine ?? new ReconnectingEngine({ url: config.dockerHost }),
    metrics,
  );
  const engineApiVersion = await engine.info().then(
    (info) => info.apiVersion,
    (error: Error) => {
      log.warn('the Docker engine is not reachable yet; VMs wait until it is', {
        error: error.message,
      });
      return DRIVER_MAX_API;
    },
  );
  const platform: PlatformSettings = {
    domain: config.domain,
    storageRoot: config.storageRoot,
    ...(config.ingress === 'traefik' ? { network: config.network } : {}),
    ingress: config.ingress,
    traefik: config.traefik,
    engineApiVersion,
    defaults: { puid: 1000, pgid: 1000, tz: 'Etc/UTC' },
    trustedEntries: config.trustedEntries,
    storage: config.storage,
  };
  const events = new VmEvents();
  const specs = createVmSpecBuilder(catalog, platform, (sealed) => box.open(sealed));
  const reconciler = new Reconciler({
    store,
    engine,
    storage: overrides.storage ?? new UserStorage(config.storageRoot),
    specs,
    events,
    log: log.child({ component: 'reconciler' }),
    pullPolicy: config.pullPolicy,
    orphanGraceMs: config.orphanGraceMs,
    intervalMs: config.reconcileIntervalMs,
    onPass: (seconds) => {
      metrics.reconcilePasses.inc();
      metrics.reconcileDuration.observe(seconds);
    },
  });
  const auth = new AuthService(store);
  const users = new UserService(store, box, () => reconciler.trigger());
  const vms = new VmService({
    store,
    catalog,
    specs,
    engine,
    events,
    urls: { ingress: config.ingress, domain: config.domain, publicHost: config.publicHost },
    quotas: config.quotas,
    observed: reconciler.observed,
    reconcile: () => reconciler.trigger(),
  });
  const app = createApp({ config, store, engine, catalog, auth, users, vms, events, metrics, log });
  return {
    app,
    store,
    engine,
    catalog,
    reconciler,
    users,
    vms,
    metrics,
    log,
    async close() {
      await reconciler.stop();
      await store.close();
    },
  };
}
