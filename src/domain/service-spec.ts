/**
 * The subset of the Docker Engine API `ServiceSpec` (POST /services/create) that Swiftor emits.
 * Field names and units are the Engine's: durations in nanoseconds, sizes in bytes, tmpfs mode
 * as a decimal number. Hand-written from moby's api/docs/v1.45.yaml so nothing above the
 * driver depends on a Docker client library.
 */

export interface Mount {
  Type: 'bind' | 'tmpfs' | 'volume';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    DriverConfig?: { Name: string; Options: Record<string, string> };
  };
}

export interface SecretReference {
  SecretName: string;
  /** Filled in by the driver once the secret exists; the compiler only knows the name. */
  SecretID?: string;
  File: { Name: string; UID: string; GID: string; Mode: number };
}

export interface ContainerSpec {
  Image: string;
  Labels: Record<string, string>;
  Hostname?: string;
  Env: string[];
  Mounts: Mount[];
  Init: boolean;
  StopGracePeriod: number;
  Privileges?: {
    Seccomp?: { Mode: 'default' | 'unconfined' | 'custom'; Profile?: string };
    AppArmor?: { Mode: 'default' | 'disabled' };
  };
  CapabilityAdd?: string[];
  Secrets?: SecretReference[];
  Command?: string[];
  Args?: string[];
}

export interface PortConfig {
  Protocol: 'tcp' | 'udp';
  TargetPort: number;
  PublishedPort?: number;
  PublishMode: 'host' | 'ingress';
  Name?: string;
}

export interface ServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: ContainerSpec;
    Resources?: {
      Limits?: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number };
      Reservations?: { NanoCPUs?: number; MemoryBytes?: number };
    };
    RestartPolicy: { Condition: 'none' | 'on-failure' | 'any'; Delay: number; MaxAttempts: number };
    Networks?: { Target: string; Aliases?: string[] }[];
    LogDriver?: { Name: string; Options: Record<string, string> };
    Placement?: { Constraints?: string[] };
    /** Incremented to restart the task without another change. */
    ForceUpdate?: number;
  };
  Mode: { Replicated: { Replicas: number } };
  UpdateConfig: { Parallelism: number; Order: 'stop-first' | 'start-first'; FailureAction: string };
  EndpointSpec: { Mode: 'dnsrr' | 'vip'; Ports?: PortConfig[] };
}
