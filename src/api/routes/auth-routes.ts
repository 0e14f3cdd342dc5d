/** Sign-in, sign-out, the caller, API tokens, the VM password, and Traefik's forward-auth. */

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { vmIdFromHost } from '../../compiler/routing.js';
import { ForbiddenError } from '../../domain/errors.js';
import { SESSION_TTL_MS } from '../../services/auth-service.js';
import { userView } from '../../services/user-service.js';
import { type ApiDeps, type AppEnv, requireActor, SESSION_COOKIE } from '../http-context.js';
import {
  CreateUserRequest,
  errors,
  IdParam,
  json,
  LoginRequest,
  TokenView,
  UserView,
} from '../schemas.js';

const Me = z.object({ user: UserView, vmPasswordVersion: z.number().int() }).openapi('Me');

/** Cookie scoped to the platform domain so it also reaches `<vm-id>.<domain>` for forward-auth. */
function cookieOptions(deps: ApiDeps, host: string | undefined) {
  const secure = deps.config.publicUrl.startsWith('https://');
  const hostname = (host ?? '').split(':')[0] ?? '';
  const scoped = hostname === deps.config.domain || hostname.endsWith(`.${deps.config.domain}`);
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure,
    path: '/',
    ...(scoped ? { domain: deps.config.domain } : {}),
  };
}

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tags: ['auth'],
      request: { body: json(LoginRequest, 'Credentials') },
      responses: {
        200: json(Me, 'Signed in; sets the session cookie'),
        ...errors,
        429: json(z.any(), 'Too many failed attempts'),
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const client = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || 'direct';
      const { token, user } = await deps.auth.login(username, password, client);
      setCookie(c, SESSION_COOKIE, token, {
        ...cookieOptions(deps, c.req.header('host')),
        maxAge: SESSION_TTL_MS / 1000,
      });
      return c.json({ user: userView(user), vmPasswordVersion: user.vmPasswordVersion }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      tags: ['auth'],
      responses: { 204: { description: 'Session revoked' }, ...errors },
    }),
    async (c) => {
      await deps.auth.logout(requireActor(c));
      deleteCookie(c, SESSION_COOKIE, cookieOptions(deps, c.req.header('host')));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/signup',
      tags: ['auth'],
      request: { body: json(LoginRequest, 'New account') },
      responses: { 201: json(UserView, 'Account created'), ...errors },
    }),
    async (c) => {
      if (!deps.config.openSignup)
        throw new ForbiddenError('sign-up is closed; ask an administrator for an account');
      return c.json(await deps.users.signUp(c.req.valid('json')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      tags: ['auth'],
      responses: { 200: json(Me, 'The signed-in user'), ...errors },
    }),
    async (c) => {
      const actor = requireActor(c);
      return c.json(
        { user: userView(actor.user), vmPasswordVersion: actor.user.vmPasswordVersion },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/me/vm-password/reveal',
      tags: ['auth'],
      request: { body: json(z.object({ password: z.string() }), 'Your login password, again') },
      responses: {
        200: json(
          z.object({ vmPassword: z.string(), version: z.number().int() }),
          'The VM password',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const actor = requireActor(c);
      const vmPassword = await deps.users.revealVmPassword(actor, c.req.valid('json').password);
      c.header('Cache-Control', 'no-store');
      return c.json({ vmPassword, version: actor.user.vmPasswordVersion }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/me/vm-password/rotate',
      tags: ['auth'],
      responses: {
        204: { description: 'Rotated; running VMs are updated by the reconciler' },
        ...errors,
      },
    }),
    async (c) => {
      await deps.users.rotateVmPassword(requireActor(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/tokens',
      tags: ['tokens'],
      responses: { 200: json(z.array(TokenView), 'Your API tokens'), ...errors },
    }),
    async (c) => {
      const tokens = await deps.auth.listApiTokens(requireActor(c));
      return c.json(
        tokens.map(({ id, name, createdAt, lastUsedAt, revokedAt }) => ({
          id,
          name,
          createdAt,
          lastUsedAt,
          revokedAt,
        })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tokens',
      tags: ['tokens'],
      request: { body: json(z.object({ name: z.string() }), 'Token name') },
      responses: {
        201: json(
          z.object({ token: z.string(), id: z.string(), name: z.string() }),
          'The token, shown once',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { token, record } = await deps.auth.createApiToken(
        requireActor(c),
        c.req.valid('json').name,
      );
      c.header('Cache-Control', 'no-store');
      return c.json({ token, id: record.id, name: record.name }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/tokens/{id}',
      tags: ['tokens'],
      request: { params: IdParam },
      responses: { 204: { description: 'Revoked' }, ...errors },
    }),
    async (c) => {
      await deps.auth.revokeApiToken(requireActor(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // Traefik ForwardAuth: 200 for the VM's owner and admins, a redirect to sign-in for
  // browsers without a session, 401 for other clients, 403 for other users.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/auth/forward',
      tags: ['auth'],
      responses: {
        200: { description: 'Allowed; X-Swiftor-User and X-Swiftor-Vm set' },
        302: { description: 'Sign in first' },
        401: json(z.any(), 'No session'),
        403: json(z.any(), 'Not yours'),
        404: json(z.any(), 'No such VM'),
      },
    }),
    async (c) => {
      const host = (c.req.header('x-forwarded-host') ?? '').split(':')[0]?.toLowerCase() ?? '';
      const vmId = vmIdFromHost(host, deps.config.domain);
      const actor =
        c.get('actor') ??
        (await deps.auth.authenticate({ sessionToken: getCookie(c, SESSION_COOKIE) }));
      if (!actor) {
        const proto = c.req.header('x-forwarded-proto') ?? 'https';
        const next = `${proto}://${host}${c.req.header('x-forwarded-uri') ?? '/'}`;
        if ((c.req.header('accept') ?? '').includes('text/html'))
          return c.redirect(`${deps.config.publicUrl}/login?next=${encodeURIComponent(next)}`, 302);
        return c.json({ code: 'unauthenticated', message: 'sign in first' }, 401);
      }
      const vm = vmId ? await deps.store.getVm(vmId) : undefined;
      if (!vm || vm.desiredState === 'deleted')
        return c.json({ code: 'not_found', message: `no VM at ${host}` }, 404);
      if (vm.ownerId !== actor.user.id && actor.user.role !== 'admin')
        return c.json({ code: 'forbidden', message: 'this VM belongs to someone else' }, 403);
      c.header('X-Swiftor-User', actor.user.username);
      c.header('X-Swiftor-Vm', vm.id);
      return c.body(null, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      tags: ['users'],
      request: { body: json(CreateUserRequest, 'The new user') },
      responses: { 201: json(UserView, 'Created'), ...errors },
    }),
    async (c) => {
      return c.json(await deps.users.createUser(requireActor(c), c.req.valid('json')), 201);
    },
  );
}
