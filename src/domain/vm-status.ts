/**
 * A VM's status from what Swarm reports (architecture.md, "Status model"). Pure: the
 * reconciler, the API and `swiftor try` all derive statuses the same way.
 */
import type { ObservedService, ObservedTask } from './engine-port.js';

export type VmStatus =
  | 'creating'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'deleting'
  | 'error';

export interface DerivedStatus {
  status: VmStatus;
  /** Human-readable: why it is in error, or what it is doing. */
  reason?: string;
}

/** How many failed runs in a row make a crash loop rather than a restart. */
export const CRASH_LOOP_FAILURES = 2;

const STARTING_STATES = new Set([
  'new',
  'allocated',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
]);

function newestFirst(tasks: ObservedTask[]): ObservedTask[] {
  return [...tasks].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Errors Swarm retries forever but that never fix themselves. */
function permanentError(task: ObservedTask): string | undefined {
  const error = task.error ?? '';
  if (/No such image|pull access denied|manifest unknown|repository does not exist/i.test(error)) {
    return `image not found: ${error}`;
  }
  if (/bind source path does not exist|invalid mount config/i.test(error))
    return `bind source missing: ${error}`;
  if (/error while mounting volume|failed to mount local volume/i.test(error)) {
    return `storage mount failed: ${error}`;
  }
  if (task.state === 'rejected' && error) return `engine rejected the task: ${error}`;
  return undefined;
}

export function deriveVmStatus(
  service: ObservedService | undefined,
  desired: 'running' | 'stopped',
): DerivedStatus {
  if (!service) return desired === 'running' ? { status: 'creating' } : { status: 'stopped' };
  const tasks = newestFirst(service.tasks);
  const live = tasks.filter((t) => t.desiredState === 'running' || t.state === 'running');
  if (desired === 'stopped' || service.replicas === 0) {
    if (live.some((t) => t.state === 'running' || STARTING_STATES.has(t.state)))
      return { status: 'stopping' };
    return desired === 'stopped'
      ? { status: 'stopped' }
      : { status: 'starting', reason: 'scaling up' };
  }
  const newest = tasks[0];
  if (!newest) return { status: 'starting', reason: 'waiting for a task' };
  if (newest.state === 'running') return { status: 'running' };
  // Swarm may already have queued its next attempt: look at the latest finished task too.
  const latestEnded = STARTING_STATES.has(newest.state) ? tasks[1] : undefined;
  const permanent =
    permanentError(newest) ?? (latestEnded ? permanentError(latestEnded) : undefined);
  if (permanent) return { status: 'error', reason: permanent };
  // Swarm queues a fresh task after each failure (restart delay), so count the failures
  // just before it too: two in a row is a crash loop, reported instead of hidden.
  const recent = STARTING_STATES.has(newest.state) ? tasks.slice(1) : tasks;
  const failures = recent.findIndex((t) => t.state !== 'failed');
  const consecutive = failures === -1 ? recent.length : failures;
  const lastFailure = recent[0];
  if (consecutive >= CRASH_LOOP_FAILURES && lastFailure) {
    const code =
      lastFailure.exitCode === undefined ? '' : ` with exit code ${lastFailure.exitCode}`;
    return {
      status: 'error',
      reason: `crash loop: the container exited${code} ${consecutive} times in a row (${lastFailure.error ?? lastFailure.message})`,
    };
  }
  if (newest.state === 'failed')
    return { status: 'starting', reason: `restarting after exit code ${newest.exitCode ?? '?'}` };
  if (STARTING_STATES.has(newest.state))
    return { status: 'starting', reason: newest.message || newest.state };
  return { status: 'starting', reason: `restarting (${newest.state})` };
}
