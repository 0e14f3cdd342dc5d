import { describe, expect, it } from 'vitest';
import { EngineCapabilityError } from '../domain/errors.js';
import { compileSecurityProfile } from './security-profile.js';

describe('compileSecurityProfile', () => {
  it.each([
    ['NONE', { mounts: [] }],
    ['BASIC', { Privileges: { Seccomp: { Mode: 'unconfined' } }, mounts: [] }],
    [
      'ADVANCED',
      {
        Privileges: { Seccomp: { Mode: 'unconfined' }, AppArmor: { Mode: 'disabled' } },
        mounts: [],
      },
    ],
    [
      'FULL',
      {
        Privileges: { Seccomp: { Mode: 'unconfined' }, AppArmor: { Mode: 'disabled' } },
        CapabilityAdd: ['CAP_NET_ADMIN'],
        mounts: [{ Type: 'bind', Source: '/dev/net/tun', Target: '/dev/net/tun' }],
      },
    ],
  ] as const)('%s on API 1.45', (profile, expected) => {
    expect(compileSecurityProfile(profile, '1.45')).toEqual(expected);
  });

  it('keeps NONE working on API 1.41 (Engine 20.10)', () => {
    expect(compileSecurityProfile('NONE', '1.41')).toEqual({ mounts: [] });
  });

  it.each(['BASIC', 'ADVANCED', 'FULL'] as const)(
    'refuses %s below API 1.44, naming the version it needs',
    (profile) => {
      expect(() => compileSecurityProfile(profile, '1.43')).toThrow(EngineCapabilityError);
      expect(() => compileSecurityProfile(profile, '1.43')).toThrow(
        `security_profile ${profile} needs Docker Engine API 1.44 (Engine 25.0) or newer`,
      );
    },
  );

  it('refuses engines older than the Swarm floor', () => {
    expect(() => compileSecurityProfile('NONE', '1.40')).toThrow(
      /API 1.41 \(Engine 20.10\) or newer/,
    );
  });

  it('compares versions numerically (1.100 is newer than 1.44)', () => {
    expect(compileSecurityProfile('BASIC', '1.100').Privileges?.Seccomp?.Mode).toBe('unconfined');
  });
});
