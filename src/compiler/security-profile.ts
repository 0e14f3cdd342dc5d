/**
 * SecurityProfile -> Engine API fields. NONE: Docker defaults. BASIC: seccomp unconfined.
 * ADVANCED: + AppArmor disabled. FULL: + NET_ADMIN and /dev/net/tun (VPN clients).
 * Privileges.Seccomp/AppArmor exist from API 1.44; older engines silently drop them, so the
 * compiler refuses instead of letting a VM run with a weaker profile than it asked for.
 */

import { compareApiVersions } from '../domain/api-version.js';
import { EngineCapabilityError } from '../domain/errors.js';
import type { SecurityProfile } from '../domain/image-config.js';
import type { ContainerSpec, Mount } from '../domain/service-spec.js';

export const PRIVILEGES_MIN_API = '1.44';
export const SWARM_MIN_API = '1.41';

export interface SecurityFields {
  Privileges?: ContainerSpec['Privileges'];
  CapabilityAdd?: string[];
  mounts: Mount[];
}

/** What each profile changes, in words, for the CLI and the dashboard. */
export const PROFILE_DESCRIPTIONS: Record<SecurityProfile, string> = {
  NONE: "Docker's default seccomp and AppArmor profiles and capabilities.",
  BASIC: 'Seccomp unconfined: every system call allowed (some desktops and browsers need it).',
  ADVANCED: 'Seccomp and AppArmor unconfined.',
  FULL: 'Seccomp and AppArmor unconfined, NET_ADMIN capability and /dev/net/tun (VPN clients).',
};

export function compileSecurityProfile(
  profile: SecurityProfile,
  engineApiVersion: string,
): SecurityFields {
  if (compareApiVersions(engineApiVersion, SWARM_MIN_API) < 0) {
    throw new EngineCapabilityError(
      `Swiftor needs Docker Engine API ${SWARM_MIN_API} (Engine 20.10) or newer; this engine speaks ${engineApiVersion}`,
    );
  }
  if (profile === 'NONE') return { mounts: [] };
  if (compareApiVersions(engineApiVersion, PRIVILEGES_MIN_API) < 0) {
    throw new EngineCapabilityError(
      `security_profile ${profile} needs Docker Engine API ${PRIVILEGES_MIN_API} (Engine 25.0) or newer to set seccomp/AppArmor on a Swarm service; this engine speaks API ${engineApiVersion}. Upgrade the engine or use security_profile NONE.`,
    );
  }
  const fields: SecurityFields = { Privileges: { Seccomp: { Mode: 'unconfined' } }, mounts: [] };
  if (profile === 'ADVANCED' || profile === 'FULL') {
    fields.Privileges = { ...fields.Privileges, AppArmor: { Mode: 'disabled' } };
  }
  if (profile === 'FULL') {
    fields.CapabilityAdd = ['CAP_NET_ADMIN'];
    fields.mounts.push({ Type: 'bind', Source: '/dev/net/tun', Target: '/dev/net/tun' });
  }
  return fields;
}
