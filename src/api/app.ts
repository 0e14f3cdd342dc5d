/**
 * The HTTP application: /api/v1 (OpenAPI document at /api/v1/openapi.json), health, readiness
 * and metrics. Built from services by the composition root; tests build it the same way.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { describeIssues, formatFieldPath } from '../domain/describe-issues.js';
import { registerDashboard } from './dashboard.js';
import { toErrorResponse } from './error-mapping.js';
import { type ApiDeps, type AppEnv, SESSION_COOKIE } from './http-context.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';
import { registerVmRoutes } from './routes/vm-routes.js';

export const OPENAPI_INFO = {
  title: 'Swiftor API',
  version: '1.0.0',
  description: 'Browser-accessible VMs on Docker Swarm.',
};

export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const validations = describeIssues(result.error.issues).map((i) => ({
        field: formatFieldPath(i.path) || '(body)',
        detail: i.message,
      }));
      return c.json(
        { code: 'validation_failed', message: 'the request is invalid', validations },
        400,
      );
    },
  });

  app.onError((error, c) => {
    const { status, body, headers } = toErrorResponse(error);
    if (status >= 500)
      deps.log.error('request failed', { method: c.req.method, path: c.req.path, error });
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return c.json(body, status);
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    deps.metrics.httpRequestDuration
      .labels(c.req.method, route, String(c.res.status))
      .observe((performance.now() - started) / 1000);
  });

  app.use('/api/v1/*', async (c, next) => {
    const authorization = c.req.header('authorization');
    const bearerToken = authorization?.startsWith('Bearer ')
      ? authorization.slice('Bearer '.length).trim()
      : undefined;
    const sessionToken = bearerToken ? undefined : getCookie(c, SESSION_COOKIE);
    c.set(
      'actor',
      bearerToken || sessionToken
        ? await deps.auth.authenticate({
            ...(bearerToken ? { bearerToken } : {}),
            ...(sessionToken ? { sessionToken } : {}),
          })
        : undefined,
    );
    await next();
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks = await Promise.all([
      deps.store.ping().then(
        () => ['database', 'ok'] as const,
        (e: Error) => ['database', e.message] as const,
      ),
      deps.engine.info().then(
        (i) => ['engine', i.swarmActive ? 'ok' : 'swarm is not active'] as const,
        (e: Error) => ['engine', e.message] as const,
      ),
    ]);
    const ready = checks.every(([, state]) => state === 'ok');
    return c.json(
      { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(checks) },
      ready ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    const counts = new Map<string, number>();
    for (const vm of await deps.store.listVms())
      counts.set(vm.status, (counts.get(vm.status) ?? 0) + 1);
    deps.metrics.vmsByStatus.reset();
    for (const [status, count] of counts) deps.metrics.vmsByStatus.labels(status).set(count);
    return c.text(await deps.metrics.registry.metrics(), 200, {
      'Content-Type': deps.metrics.registry.contentType,
    });
  });

  registerAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerVmRoutes(app, deps);

  app.doc31('/api/v1/openapi.json', { openapi: '3.1.0', info: OPENAPI_INFO });
  registerDashboard(app, deps.config);
  app.notFound((c) =>
    c.json({ code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404),
  );
  return app;
}
