/** Administration of users (create is with the auth routes for the fixed interface). */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type ApiDeps, type AppEnv, requireActor } from '../http-context.js';
import { errors, json, UpdateUserRequest, UsernameParam, UserView } from '../schemas.js';

export function registerUserRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users',
      tags: ['users'],
      responses: { 200: json(z.array(UserView), 'All users (admin)'), ...errors },
    }),
    async (c) => {
      return c.json(await deps.users.listUsers(requireActor(c)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/users/{username}',
      tags: ['users'],
      request: { params: UsernameParam, body: json(UpdateUserRequest, 'Changes') },
      responses: { 200: json(UserView, 'Updated'), ...errors },
    }),
    async (c) => {
      return c.json(
        await deps.users.updateUser(
          requireActor(c),
          c.req.valid('param').username,
          c.req.valid('json'),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/users/{username}',
      tags: ['users'],
      request: { params: UsernameParam },
      responses: { 204: { description: 'Deleted' }, ...errors },
    }),
    async (c) => {
      await deps.users.deleteUser(requireActor(c), c.req.valid('param').username);
      return c.body(null, 204);
    },
  );
}
