/**
 * The composition root: `npm start`. Reads configuration, builds the platform, creates the
 * first admin on an empty database, serves HTTP, runs the reconciler, and shuts down
 * gracefully on SIGTERM/SIGINT (in-flight requests finish; VMs keep running).
 */
import { serve } from '@hono/node-server';
import { loadConfig } from './config/platform-config.js';
import { ValidationError } from './domain/errors.js';
import { buildPlatform } from './platform.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    process.stderr.write(
      `swiftor: ${error.message}\n${error.validations.map((v) => `  ${v.field}: ${v.detail}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  const platform = await buildPlatform(config);
  const { log } = platform;
  const admin = await platform.users.bootstrapAdmin(config.adminPassword);
  if (admin?.generatedPassword) {
    // Printed once, on the first start only, on the terminal and never in the JSON log.
    process.stderr.write(
      `\nswiftor: created the first administrator\n  username: ${admin.username}\n  password: ${admin.generatedPassword}\n  (shown only now; change it after signing in)\n\n`,
    );
  } else if (admin) {
    log.info('created the first administrator with the configured password', {
      username: admin.username,
    });
  }
  const server = serve(
    { fetch: platform.app.fetch, hostname: config.listen.host, port: config.listen.port },
    (address) => {
      log.info('swiftor is listening', {
        address: `${address.address}:${address.port}`,
        ingress: config.ingress,
        database: platform.store.dialect,
        url: config.publicUrl,
      });
    },
  );
  platform.reconciler.start();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down; VMs keep running', { signal });
    const force = setTimeout(() => {
      log.warn('in-flight requests did not finish within 10 s; closing them');
      (server as import('node:http').Server).closeAllConnections?.();
    }, 10_000);
    force.unref();
    server.close(async () => {
      await platform.close();
      log.info('stopped');
      process.exit(0);
    });
    // Long-lived streams (events, logs) would keep close() waiting: end idle ones now.
    (server as import('node:http').Server).closeIdleConnections?.();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
