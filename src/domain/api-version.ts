/** Engine API version arithmetic ("1.44" style strings). */

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export function isApiVersion(value: string): boolean {
  return /^\d+\.\d+$/.test(value);
}
