/**
 * Turns zod issues into field problems a person can act on: one problem per unknown key,
 * the inner message for a bad record key, dotted paths (`volumes.data.host_path`).
 */
import type { z } from 'zod';

export interface DescribedIssue {
  path: PropertyKey[];
  message: string;
  /** True when the position of interest is the key itself (unknown or invalid key). */
  atKey: boolean;
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): DescribedIssue[] {
  return issues.flatMap((issue): DescribedIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...issue.path, key],
        message: `unknown field "${key}"; check the spelling against the ImageConfig schema (swiftor schema)`,
        atKey: true,
      }));
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues.map((i) => i.message).join('; ');
      return [{ path: issue.path, message: `invalid key: ${inner}`, atKey: true }];
    }
    return [{ path: issue.path, message: issue.message, atKey: false }];
  });
}

/** Formats a path the way users write it: `volumes.data.host_path`, `custom_labels[0]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((step, i) =>
      typeof step === 'number' ? `[${step}]` : `${i === 0 ? '' : '.'}${String(step)}`,
    )
    .join('');
}
