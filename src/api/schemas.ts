/** The API contract: request and response bodies. Separate from the tables on purpose. */
import { z } from '@hono/zod-openapi';

export const ErrorBody = z
  .object({
    code: z.string().openapi({ example: 'validation_failed' }),
    message: z.string(),
    detail: z.string().optional(),
    validations: z.array(z.object({ field: z.string(), detail: z.string() })).optional(),
  })
  .openapi('Error');

export const LoginRequest = z
  .object({ username: z.string().min(1), password: z.string().min(1) })
  .openapi('LoginRequest');

export const UserView = z
  .object({
    username: z.string(),
    role: z.enum(['admin', 'user']),
    disabled: z.boolean(),
    maxVms: z.number().int().nullable(),
    maxRunningVms: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .openapi('User');

export const CreateUserRequest = z
  .object({
    username: z.string(),
    password: z.string(),
    role: z.enum(['admin', 'user']).optional(),
  })
  .openapi('CreateUserRequest');

export const UpdateUserRequest = z
  .object({
    role: z.enum(['admin', 'user']).optional(),
    disabled: z.boolean().optional(),
    maxVms: z.number().int().positive().nullable().optional(),
    maxRunningVms: z.number().int().positive().nullable().optional(),
    password: z.string().optional(),
  })
  .openapi('UpdateUserRequest');

export const VmUrlView = z.object({
  kind: z.enum(['entrypoint', 'route', 'port-forward']),
  name: z.string(),
  url: z.string(),
});

export const VmStatusEnum = z.enum([
  'creating',
  'starting',
  'running',
  'stopping',
  'stopped',
  'deleting',
  'error',
]);

export const VmView = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    image: z.string(),
    distribution: z.string().nullable(),
    desktop: z.string().nullable(),
    owner: z.string(),
    desiredState: z.enum(['running', 'stopped', 'deleted']),
    status: VmStatusEnum,
    reason: z.string().nullable(),
    urls: z.array(VmUrlView),
    securityProfile: z.object({ name: z.string(), description: z.string() }),
    persistence: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Vm');

export const CreateVmRequest = z
  .object({
    image: z.string().openapi({ example: 'code-server' }),
    distribution: z.string().optional().openapi({ example: 'ubuntu' }),
    desktop: z.string().optional().openapi({ example: 'kde' }),
    name: z.string().max(60).optional(),
  })
  .openapi('CreateVmRequest');

export const CatalogEntryView = z
  .object({
    name: z.string(),
    title: z.string(),
    description: z.string(),
    icon: z.string().nullable(),
    category: z.string(),
    isWebtop: z.boolean(),
    variants: z.array(z.object({ distribution: z.string(), desktops: z.array(z.string()) })),
    securityProfile: z.string(),
    allowsPortForwards: z.boolean(),
  })
  .openapi('CatalogEntry');

export const TokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

export const PortForwardRequest = z
  .object({ name: z.string(), port: z.number().int().min(1).max(65535) })
  .openapi('PortForwardRequest');

export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
export const UsernameParam = z.object({
  username: z.string().openapi({ param: { name: 'username', in: 'path' } }),
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
export const errors = {
  400: json(ErrorBody, 'Invalid input'),
  401: json(ErrorBody, 'Not signed in'),
  403: json(ErrorBody, 'Not allowed'),
  404: json(ErrorBody, 'Not found'),
  409: json(ErrorBody, 'Conflict or quota'),
} as const;
