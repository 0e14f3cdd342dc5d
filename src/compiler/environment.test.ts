import { describe, expect, it } from 'vitest';
import { config, testContext } from '../../test/support/deploy-context.js';
import { ProblemList } from '../domain/errors.js';
import { compileEnvironment, secretNameFor } from './environment.js';

function compile(input: Parameters<typeof config>[0]) {
  const problems = new ProblemList();
  const result = compileEnvironment(config(input), testContext(), problems);
  return { ...result, problems: problems.problems };
}

describe('compileEnvironment', () => {
  it('applies additional_env over default_env and resolves variables', () => {
    const { env } = compile({
      image_name: 'x',
      default_env: {
        A: '1',
        ORIGIN: 'https://${SWIFTOR_VMID}.swiftor.io',
        WHO: '${SWIFTOR_USERNAME}',
      },
      additional_env: { A: '2', B: '$${LITERAL}' },
    });
    expect(env).toEqual([
      'A=2',
      'ORIGIN=https://k3x9a0b2c4.swiftor.io',
      'WHO=alice',
      'B=${LITERAL}',
      'PUID=1000',
      'PGID=1000',
      'TZ=Etc/UTC',
    ]);
  });

  it('keeps PUID/PGID/TZ from the config and uses them as the storage owner', () => {
    const { env, owner } = compile({
      image_name: 'x',
      default_env: { PUID: '911', TZ: 'Europe/Paris' },
      additional_env: { PGID: '912' },
    });
    expect(env).toEqual(['PUID=911', 'TZ=Europe/Paris', 'PGID=912']);
    expect(owner).toEqual({ uid: 911, gid: 912 });
  });

  it('refuses a non-numeric PUID', () => {
    expect(compile({ image_name: 'x', default_env: { PUID: 'abc' } }).problems[0]?.field).toBe(
      'default_env.PUID',
    );
  });

  it('puts the password in plain env with a warning when the image does not read FILE__', () => {
    const result = compile({
      image_name: 'x',
      default_env: { SUDO_PASSWORD: '${SWIFTOR_PASSWORD}' },
    });
    expect(result.env[0]).toBe('SUDO_PASSWORD=s3cret-pass');
    expect(result.secrets).toEqual([]);
    expect(result.warnings[0]).toMatch(
      /^default_env\.SUDO_PASSWORD: the VM password is passed as a plain environment variable/,
    );
  });

  it('delivers password-carrying values as Swarm secrets read through FILE__', () => {
    const result = compile({
      image_name: 'x',
      default_env: {
        PASSWORD: '${SWIFTOR_PASSWORD}',
        AUTH: '${SWIFTOR_USERNAME}:${SWIFTOR_PASSWORD}',
        OTHER: 'v',
      },
      platform: { secret_env_files: true },
    });
    expect(result.env.slice(0, 3)).toEqual([
      'FILE__PASSWORD=/run/secrets/vm-k3x9a0b2c4-password-v1',
      'FILE__AUTH=/run/secrets/vm-k3x9a0b2c4-auth-v1',
      'OTHER=v',
    ]);
    expect(result.env.join('\n')).not.toContain('s3cret-pass');
    expect(result.secrets).toEqual([
      { name: 'vm-k3x9a0b2c4-password-v1', data: 's3cret-pass', envName: 'PASSWORD' },
      { name: 'vm-k3x9a0b2c4-auth-v1', data: 'alice:s3cret-pass', envName: 'AUTH' },
    ]);
    expect(result.secretRefs[0]).toEqual({
      SecretName: 'vm-k3x9a0b2c4-password-v1',
      File: { Name: 'vm-k3x9a0b2c4-password-v1', UID: '0', GID: '0', Mode: 0o400 },
    });
    expect(result.warnings).toEqual([]);
  });

  it('names secrets by password version so a rotation makes new ones, within 64 characters', () => {
    expect(secretNameFor('k3x9a0b2c4', 'SUDO_PASSWORD', 7)).toBe('vm-k3x9a0b2c4-sudo-password-v7');
    const long = secretNameFor('k3x9a0b2c4abcdef', 'A'.repeat(60), 1);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^vm-k3x9a0b2c4abcdef-env-[0-9a-f]{8}-v1$/);
  });
});
