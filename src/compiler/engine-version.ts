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

/** Engine release that first serves an API version, for error messages. */
export const ENGINE_FOR_API: Record<string, string> = {
  '1.41': '20.10',
  '1.44': '25.0',
};
