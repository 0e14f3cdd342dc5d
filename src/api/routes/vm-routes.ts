/** The catalog, VMs and their lifecycle, logs and status events (server-sent events). */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { VmEvent } from '../../services/vm-events.js';
import { type ApiDeps, type AppEnv, requireActor } from '../http-context.js';
import {
  CatalogEntryView,
  CreateVmRequest,
  errors,
  IdParam,
  json,
  PortForwardRequest,
  VmView,
} from '../schemas.js';

const Action = z.object({
  id: IdParam.shape.id,
  action: z.enum(['start', 'stop', 'restart']).openapi({ param: { name: 'action', in: 'path' } }),
});

export function registerVmRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/catalog',
      tags: ['catalog'],
      responses: { 200: json(z.array(CatalogEntryView), 'Images you can launch'), ...errors },
    }),
    async (c) => {
      requireActor(c);
      const entries = deps.catalog.entries.map(({ name, config }) => ({
        name,
        title: config.platform?.title ?? name,
        description: config.platform?.description ?? '',
        icon: config.platform?.icon ?? null,
        category: config.platform?.category ?? 'Other',
        isWebtop: config.is_webtop,
        variants: Object.entries(config.platform?.webtop_variants ?? {}).map(
          ([distribution, desktops]) => ({ distribution, desktops }),
        ),
        securityProfile: config.security_profile,
        allowsPortForwards: config.traefik.additional_networking,
      }));
      return c.json(entries, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/vms',
      tags: ['vms'],
      request: { body: json(CreateVmRequest, 'What to launch') },
      responses: { 202: json(VmView, 'Accepted; the VM is being created'), ...errors },
    }),
    async (c) => {
      return c.json(await deps.vms.create(requireActor(c), c.req.valid('json')), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/vms',
      tags: ['vms'],
      request: {
        query: z.object({
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(500)
            .optional()
            .openapi({ description: 'Page size; without it, every VM is returned' }),
          offset: z.coerce.number().int().min(0).optional(),
        }),
      },
      responses: {
        200: json(
          z.array(VmView),
          'Your VMs (all VMs for admins), oldest first; X-Total-Count has the total',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const actor = requireActor(c);
      const { limit, offset } = c.req.valid('query');
      if (limit === undefined && offset === undefined) {
        const all = await deps.vms.list(actor);
        c.header('X-Total-Count', String(all.length));
        return c.json(all, 200);
      }
      const { items, total } = await deps.vms.page(actor, limit ?? 100, offset ?? 0);
      c.header('X-Total-Count', String(total));
      return c.json(items, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/vms/{id}',
      tags: ['vms'],
      request: { params: IdParam },
      responses: { 200: json(VmView, 'The VM'), ...errors },
    }),
    async (c) => {
      return c.json(await deps.vms.get(requireActor(c), c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/vms/{id}',
      tags: ['vms'],
      request: {
        params: IdParam,
        query: z.object({ purge: z.enum(['true', 'false']).optional() }),
      },
      responses: {
        202: {
          description: 'Being deleted; shared storage is kept, the VM folder too unless purge=true',
        },
        ...errors,
      },
    }),
    async (c) => {
      await deps.vms.delete(
        requireActor(c),
        c.req.valid('param').id,
        c.req.valid('query').purge === 'true',
      );
      return c.body(null, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/vms/{id}/port-forwards',
      tags: ['vms'],
      request: {
        params: IdParam,
        body: json(PortForwardRequest, 'Forward <name>-<vm-id>.<domain> to a port'),
      },
      responses: { 201: json(VmView, 'Added'), ...errors },
    }),
    async (c) => {
      return c.json(
        await deps.vms.addPortForward(
          requireActor(c),
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/vms/{id}/port-forwards/{name}',
      tags: ['vms'],
      request: {
        params: IdParam.extend({
          name: z.string().openapi({ param: { name: 'name', in: 'path' } }),
        }),
      },
      responses: { 204: { description: 'Removed' }, ...errors },
    }),
    async (c) => {
      const { id, name } = c.req.valid('param');
      await deps.vms.removePortForward(requireActor(c), id, name);
      return c.body(null, 204);
    },
  );

  // After the port-forward routes: `{action}` would otherwise match `port-forwards`.
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/vms/{id}/{action}',
      tags: ['vms'],
      request: { params: Action },
      responses: { 202: json(VmView, 'Accepted'), ...errors },
    }),
    async (c) => {
      const actor = requireActor(c);
      const { id, action } = c.req.valid('param');
      const view =
        action === 'restart'
          ? await deps.vms.restart(actor, id)
          : await deps.vms.setRunning(actor, id, action === 'start');
      return c.json(view, 202);
    },
  );

  // Logs: server-sent events, one `log` event per line; `follow=false` ends after the tail.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/vms/{id}/logs',
    tags: ['vms'],
    request: {
      params: IdParam,
      query: z.object({
        follow: z.enum(['true', 'false']).optional(),
        tail: z.string().optional(),
      }),
    },
    responses: {
      200: { description: 'text/event-stream of `log` events {stream, timestamp, text}' },
      ...errors,
    },
  });
  app.get('/api/v1/vms/:id/logs', async (c) => {
    const actor = requireActor(c);
    const follow = c.req.query('follow') !== 'false';
    const tail = Number(c.req.query('tail') ?? 200);
    const abort = new AbortController();
    const lines = await deps.vms.logs(actor, c.req.param('id'), {
      follow,
      tail: Number.isFinite(tail) ? tail : 200,
      signal: abort.signal,
    });
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => abort.abort());
      for await (const line of lines)
        await stream.writeSSE({ event: 'log', data: JSON.stringify(line) });
      await stream.writeSSE({ event: 'end', data: '{}' });
    });
  });

  // Status changes of the caller's VMs (all VMs for admins) as server-sent events.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/events',
    tags: ['vms'],
    responses: {
      200: {
        description: 'text/event-stream of `vm` events (a Vm) and `vm-deleted` events ({id})',
      },
      ...errors,
    },
  });
  app.get('/api/v1/events', async (c) => {
    const actor = requireActor(c);
    const mine = (ownerId: string) => actor.user.role === 'admin' || ownerId === actor.user.id;
    return streamSSE(c, async (stream) => {
      const queue: VmEvent[] = [];
      let wake: () => void = () => {};
      const unsubscribe = deps.events.subscribe((event) => {
        const owner = event.type === 'vm.updated' ? event.vm.ownerId : event.ownerId;
        if (!mine(owner)) return;
        queue.push(event);
        wake();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (open) {
        const event = queue.shift();
        if (!event) {
          await Promise.race([
            new Promise<void>((r) => {
              wake = r;
            }),
            stream.sleep(15_000),
          ]);
          if (queue.length === 0 && open) await stream.writeSSE({ event: 'ping', data: '{}' });
          continue;
        }
        if (event.type === 'vm.updated')
          await stream.writeSSE({ event: 'vm', data: JSON.stringify(deps.vms.view(event.vm)) });
        else
          await stream.writeSSE({ event: 'vm-deleted', data: JSON.stringify({ id: event.vmId }) });
      }
    });
  });
}
