/**
 * Serves the built dashboard (dist/web) at `/`: files as they are, and index.html for any
 * other non-API path so the dashboard's own router can show it (e.g. /login, /vms/<id>).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { vmIdFromHost } from '../compiler/routing.js';

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

/**
 * Traefik's lowest-priority router sends `<vm-id>.<domain>` here while the VM has no running
 * task (starting, stopped, or unknown): a small page that says so and retries, instead of
 * Traefik's bare 404.
 */
function vmFallbackPage(vmId: string, publicUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="5"><title>Starting ${vmId}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:1rem;color:#1c2430}a{color:#2457d6}</style></head><body><h1>This VM is not running yet</h1><p>VM <code>${vmId}</code> is starting, stopped, or does not exist. This page retries every 5 seconds.</p><p><a href="${publicUrl}/vms/${vmId}">Open it in Swiftor</a> to start it or see why it stopped.</p></body></html>`;
}

export function registerDashboard<E extends object>(
  app: Hono<E & { Variables: Record<string, unknown> }>,
  site: { domain: string; publicUrl: string },
  dir = DASHBOARD_DIR,
): void {
  app.get('*', async (c, next) => {
    const path = c.req.path;
    // VM ids are [a-z0-9] only, so nothing from the Host header can inject markup here.
    const vmId = vmIdFromHost(c.req.header('host') ?? '', site.domain);
    if (vmId && !path.startsWith('/api/')) {
      return c.html(vmFallbackPage(vmId, site.publicUrl), 503, {
        'Retry-After': '5',
        'Cache-Control': 'no-store',
      });
    }
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
