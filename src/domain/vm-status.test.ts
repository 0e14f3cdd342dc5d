import { describe, expect, it } from 'vitest';
import type { ObservedService, ObservedTask, TaskState } from './engine-port.js';
import { deriveVmStatus } from './vm-status.js';

let clock = 0;
function task(state: TaskState, extra: Partial<ObservedTask> = {}): ObservedTask {
  clock++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString();
  return {
    id: `t${clock}`,
    state,
    desiredState: 'running',
    message: state,
    createdAt: at,
    updatedAt: at,
    publishedPorts: [],
    ...extra,
  };
}
function service(replicas: number, tasks: ObservedTask[]): ObservedService {
  return {
    id: 's',
    name: 'vm-x',
    vmId: 'x',
    owner: 'alice',
    specHash: 'h',
    replicas,
    version: 1,
    image: 'i',
    labels: {},
    createdAt: '',
    updatedAt: '',
    tasks,
  };
}

describe('deriveVmStatus', () => {
  it.each([
    ['no service yet', undefined, 'running', { status: 'creating' }],
    ['no service, stopped', undefined, 'stopped', { status: 'stopped' }],
    [
      'no task yet',
      service(1, []),
      'running',
      { status: 'starting', reason: 'waiting for a task' },
    ],
    [
      'pending task',
      service(1, [task('pending', { message: 'pending task scheduling' })]),
      'running',
      { status: 'starting', reason: 'pending task scheduling' },
    ],
    ['running task', service(1, [task('running')]), 'running', { status: 'running' }],
    [
      'newest task running after a failure',
      service(1, [task('failed', { exitCode: 1 }), task('running')]),
      'running',
      { status: 'running' },
    ],
    [
      'one failure is a restart',
      service(1, [task('failed', { exitCode: 2, desiredState: 'shutdown' })]),
      'running',
      { status: 'starting', reason: 'restarting after exit code 2' },
    ],
    [
      'scaled to 0, task still running',
      service(0, [task('running', { desiredState: 'shutdown' })]),
      'stopped',
      { status: 'stopping' },
    ],
    [
      'scaled to 0, task gone',
      service(0, [task('shutdown', { desiredState: 'shutdown' })]),
      'stopped',
      { status: 'stopped' },
    ],
    [
      'desired running but 0 replicas',
      service(0, []),
      'running',
      { status: 'starting', reason: 'scaling up' },
    ],
  ] as const)('%s', (_name, observed, desired, expected) => {
    expect(deriveVmStatus(observed as ObservedService | undefined, desired)).toEqual(expected);
  });

  it('reports a missing image at once', () => {
    const observed = service(1, [task('rejected', { error: 'No such image: ghost:latest' })]);
    expect(deriveVmStatus(observed, 'running')).toEqual({
      status: 'error',
      reason: 'image not found: No such image: ghost:latest',
    });
  });

  it('reports a missing bind source at once', () => {
    const error = 'invalid mount config for type "bind": bind source path does not exist: /srv/x';
    expect(deriveVmStatus(service(1, [task('rejected', { error })]), 'running')).toEqual({
      status: 'error',
      reason: `bind source missing: ${error}`,
    });
  });

  it('reports a failed storage mount at once, not as a crash loop', () => {
    const error =
      "starting container failed: error while mounting volume '/v': failed to mount local volume: mount :/exports/x: no such device";
    const observed = service(1, [task('failed', { exitCode: 128, error })]);
    expect(deriveVmStatus(observed, 'running')).toEqual({
      status: 'error',
      reason: `storage mount failed: ${error}`,
    });
    // Also while Swarm's next attempt is already queued.
    const retrying = service(1, [
      task('failed', { exitCode: 128, error, desiredState: 'shutdown' }),
      task('ready'),
    ]);
    expect(deriveVmStatus(retrying, 'running').reason).toBe(`storage mount failed: ${error}`);
  });

  it('reports a crash loop with the exit code, even while the next task waits', () => {
    const failed = () =>
      task('failed', { exitCode: 3, desiredState: 'shutdown', error: 'task: non-zero exit (3)' });
    const observed = service(1, [failed(), failed(), task('ready')]);
    expect(deriveVmStatus(observed, 'running')).toEqual({
      status: 'error',
      reason:
        'crash loop: the container exited with exit code 3 2 times in a row (task: non-zero exit (3))',
    });
  });

  it('does not call it a crash loop when a run in between succeeded', () => {
    const observed = service(1, [
      task('failed', { exitCode: 1 }),
      task('shutdown'),
      task('failed', { exitCode: 1 }),
    ]);
    expect(deriveVmStatus(observed, 'running').status).toBe('starting');
  });
});
