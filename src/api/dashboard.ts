/**
 * Serves the built dashboard (dist/web) at `/`: files as they are, and index.html for any
 * other non-API path so the dashboard's own router can show it (e.g. /login, /vms/<id>).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

/** dist/web from both src/api (tsx) and dist/api (built). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

export function registerDashboard<E extends object>(
  app: Hono<E & { Variables: Record<string, unknown> }>,
  dir = DASHBOARD_DIR,
): void {
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || ['/healthz', '/readyz', '/metrics'].includes(path))
      return next();
    const file = normalize(join(dir, decodeURIComponent(path)));
    if (file.startsWith(dir + sep) && extname(file)) {
      const body = await readFile(file).catch(() => undefined);
      if (body) {
        const immutable = path.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache';
        return c.body(body, 200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Cache-Control': immutable,
        });
      }
      return c.text('not found', 404);
    }
    const index = await readFile(join(dir, 'index.html'), 'utf8').catch(() => undefined);
    if (!index) return c.text('The dashboard is not built: run "npm run build".', 503);
    return c.html(index, 200, { 'Cache-Control': 'no-cache' });
  });
}
