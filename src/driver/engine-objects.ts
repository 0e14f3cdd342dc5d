/**
 * The Engine's service and task JSON (the fields we read), and their normalisation into our
 * own ObservedService/ObservedTask right after each call.
 */
import type { ObservedService, ObservedTask, TaskState } from '../domain/engine-port.js';
import { OWNERSHIP_LABELS } from '../domain/identifiers.js';
import type { ServiceSpec } from '../domain/service-spec.js';

export interface EngineService {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Spec: ServiceSpec;
}

export interface EngineTask {
  ID: string;
  ServiceID: string;
  CreatedAt: string;
  UpdatedAt: string;
  DesiredState: TaskState;
  Status: {
    State: TaskState;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
    PortStatus?: { Ports?: { TargetPort: number; PublishedPort: number }[] };
  };
}

export function toObservedTask(task: EngineTask): ObservedTask {
  const container = task.Status.ContainerStatus;
  return {
    id: task.ID,
    state: task.Status.State,
    desiredState: task.DesiredState,
    message: task.Status.Message ?? '',
    ...(task.Status.Err ? { error: task.Status.Err } : {}),
    ...(container?.ExitCode !== undefined &&
    ['failed', 'complete', 'shutdown'].includes(task.Status.State)
      ? { exitCode: container.ExitCode }
      : {}),
    createdAt: task.CreatedAt,
    updatedAt: task.UpdatedAt,
    ...(container?.ContainerID ? { containerId: container.ContainerID } : {}),
    publishedPorts: (task.Status.PortStatus?.Ports ?? []).map((p) => ({
      target: p.TargetPort,
      published: p.PublishedPort,
    })),
  };
}

export function toObservedService(service: EngineService, tasks: EngineTask[]): ObservedService {
  const labels = service.Spec.Labels ?? {};
  return {
    id: service.ID,
    name: service.Spec.Name,
    vmId: labels[OWNERSHIP_LABELS.vmId] ?? '',
    owner: labels[OWNERSHIP_LABELS.owner] ?? '',
    specHash: labels[OWNERSHIP_LABELS.specHash] ?? '',
    replicas: service.Spec.Mode?.Replicated?.Replicas ?? 0,
    version: service.Version.Index,
    image: service.Spec.TaskTemplate.ContainerSpec.Image,
    labels,
    createdAt: service.CreatedAt,
    updatedAt: service.UpdatedAt,
    tasks: tasks.filter((t) => t.ServiceID === service.ID).map(toObservedTask),
  };
}

export function isOwnedBy(service: EngineService, vmId: string): boolean {
  const labels = service.Spec.Labels ?? {};
  return labels[OWNERSHIP_LABELS.managed] === 'true' && labels[OWNERSHIP_LABELS.vmId] === vmId;
}
