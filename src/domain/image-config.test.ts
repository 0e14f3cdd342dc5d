import { describe, expect, it } from 'vitest';
import { describeIssues, formatFieldPath } from './describe-issues.js';
import { ImageConfigSchema } from './image-config.js';

function problems(input: unknown): string[] {
  const result = ImageConfigSchema.safeParse(input);
  if (result.success) return [];
  return describeIssues(result.error.issues).map((i) => `${formatFieldPath(i.path)}: ${i.message}`);
}

describe('ImageConfig defaults are the seed defaults', () => {
  it('fills every seed default from image_name alone', () => {
    expect(ImageConfigSchema.parse({ image_name: 'webtop' })).toEqual({
      image_prefix: 'registry.swiftor.io/linuxserver/',
      image_name: 'webtop',
      is_webtop: false,
      security_profile: 'NONE',
      default_env: {},
      additional_env: {},
      default_config_path: '/config',
      volumes: {},
      networking: { entrypoint_port: 3000, additional_routes: {} },
      traefik: { enable: true, custom_labels: [], additional_networking: false },
    });
  });

  it('defaults VolumeBinding.required to true and fills nested defaults', () => {
    const parsed = ImageConfigSchema.parse({
      image_name: 'x',
      volumes: { data: { host_path: 'data', container_path: '/data' } },
      networking: { additional_routes: { manage: 8081 } },
      traefik: { additional_networking: true },
    });
    expect(parsed.volumes.data?.required).toBe(true);
    expect(parsed.networking).toEqual({
      entrypoint_port: 3000,
      additional_routes: { manage: 8081 },
    });
    expect(parsed.traefik).toEqual({
      enable: true,
      custom_labels: [],
      additional_networking: true,
    });
  });

  it('accepts image_tag null (Python None) and an empty image_prefix', () => {
    const parsed = ImageConfigSchema.parse({
      image_name: 'nginx',
      image_prefix: '',
      image_tag: null,
    });
    expect(parsed.image_tag).toBeNull();
    expect(parsed.image_prefix).toBe('');
  });
});

describe('ImageConfig rejects bad input with the field and the fix', () => {
  it.each([
    [{}, 'image_name: image_name is required'],
    [{ image_name: 'x', image_nmae: 'y' }, 'image_nmae: unknown field "image_nmae"'],
    [
      { image_name: 'x', networking: { entrypoint_prot: 1 } },
      'networking.entrypoint_prot: unknown field',
    ],
    [
      { image_name: 'x', security_profile: 'MAX' },
      'security_profile: must be one of NONE, BASIC, ADVANCED, FULL',
    ],
    [
      { image_name: 'x', networking: { entrypoint_port: 70000 } },
      'networking.entrypoint_port: must be from 1 to 65535',
    ],
    [
      { image_name: 'x', networking: { entrypoint_port: '8443' } },
      'networking.entrypoint_port: must be a port number',
    ],
    [{ image_name: 'x', networking: { additional_routes: { '/api': 1 } } }, 'one URL path segment'],
    [
      { image_name: 'x', default_env: { PORT: 1 } },
      'default_env.PORT: must be a string; quote the value',
    ],
    [{ image_name: 'x', default_env: { '1BAD': 'v' } }, 'environment variable name'],
    [
      { image_name: 'x', default_config_path: 'config' },
      'default_config_path: must be an absolute path',
    ],
    [
      { image_name: 'x', volumes: { d: { host_path: 'd', container_path: '/a/../b' } } },
      'must not contain ".."',
    ],
    [
      { image_name: 'x', volumes: { d: { container_path: '/d' } } },
      'volumes.d.host_path: host_path is required',
    ],
    [{ image_name: 'x', traefik: { custom_labels: ['novalue'] } }, 'written "key=value"'],
    [{ image_name: 'Bad Name' }, 'image_name: an image name is lowercase'],
  ])('%j', (input, expected) => {
    expect(problems(input).join('\n')).toContain(expected);
  });

  it('rejects unknown ${SWIFTOR_...} names in env, labels and paths', () => {
    const found = problems({
      image_name: 'x',
      default_env: { A: '${SWIFTOR_USER}' },
      additional_env: { B: '${SWIFTOR_VMID}' },
      traefik: { custom_labels: ['a=${SWIFTOR_ID}'] },
      volumes: { v: { host_path: '${SWIFTOR_HOME}/x', container_path: '/x' } },
    });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^default_env\.A: unknown variable \$\{SWIFTOR_USER\}/);
    expect(found[1]).toMatch(/^traefik\.custom_labels\[0\]: unknown variable/);
    expect(found[2]).toMatch(/^volumes\.v\.host_path: unknown variable/);
  });

  it('rejects the password in labels and paths but not in env', () => {
    const found = problems({
      image_name: 'x',
      default_env: { SUDO_PASSWORD: '${SWIFTOR_PASSWORD}' },
      traefik: { custom_labels: ['x=${SWIFTOR_PASSWORD}'] },
      volumes: { v: { host_path: 'p/${SWIFTOR_PASSWORD}', container_path: '/x' } },
    });
    expect(found.map((f) => f.split(':')[0])).toEqual([
      'traefik.custom_labels[0]',
      'volumes.v.host_path',
    ]);
  });

  it('rejects two volumes (or a volume and /config) on one container path', () => {
    const found = problems({
      image_name: 'x',
      volumes: {
        a: { host_path: 'a', container_path: '/config/' },
        b: { host_path: 'b', container_path: '/data' },
        c: { host_path: 'c', container_path: '/data' },
      },
    });
    expect(found).toEqual([
      'volumes.a.container_path: /config/ is already mounted by default_config_path; choose another container_path',
      'volumes.c.container_path: /data is already mounted by volumes.b; choose another container_path',
    ]);
  });

  it('validates platform extensions without changing seed meaning', () => {
    expect(problems({ image_name: 'x', platform: { shm_size: 'lots' } })[0]).toMatch(
      /platform\.shm_size: must be a size/,
    );
    expect(problems({ image_name: 'x', platform: { colour: 'red' } })[0]).toMatch(
      /platform\.colour: unknown field/,
    );
    const withExtensions = ImageConfigSchema.parse({ image_name: 'x', platform: { title: 'X' } });
    const { platform, ...seedPart } = withExtensions;
    expect(platform).toEqual({ title: 'X' });
    expect(seedPart).toEqual(ImageConfigSchema.parse({ image_name: 'x' }));
  });
});
