import { randomBytes } from 'node:crypto';

/**
 * Identifier rules from architecture.md. They are strict because each identifier ends up in
 * a path segment, a Docker label value and a hostname.
 */

/** VM id: random lowercase `[a-z0-9]`, 10–16 chars, a valid DNS label. */
export const VM_ID_PATTERN = /^[a-z0-9]{10,16}$/;

/** Username: starts with a letter, 3–32 chars of `[a-z0-9-]`, does not end with `-`. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;

export function isVmId(value: string): boolean {
  return VM_ID_PATTERN.test(value);
}

export function isUsername(value: string): boolean {
  return USERNAME_PATTERN.test(value);
}

/** A new random VM id: 12 characters of [a-z0-9], starting with a letter so it reads as a name. */
export function newVmId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = [...randomBytes(12)];
  return [
    alphabet[(bytes[0] ?? 0) % 26],
    ...bytes.slice(1).map((b) => alphabet[b % alphabet.length]),
  ].join('');
}

/** The Swarm service name of a VM, e.g. `vm-k3x9a0b2c4`. */
export function serviceNameOf(vmId: string): string {
  return `vm-${vmId}`;
}

/** Docker labels that mark a service (and its containers) as Swiftor's. */
export const OWNERSHIP_LABELS = {
  managed: 'io.swiftor.managed',
  vmId: 'io.swiftor.vm-id',
  owner: 'io.swiftor.owner',
  specHash: 'io.swiftor.spec-hash',
} as const;
