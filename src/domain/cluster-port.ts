/** Engine operations `swiftor init` needs to set up the platform itself (not VMs). */
export interface ExistingService {
  id: string;
  version: number;
  labels: Record<string, string>;
}

export interface ClusterPort {
  swarm(): Promise<{
    active: boolean;
    manager: boolean;
    apiVersion: string;
    engineVersion: string;
  }>;
  initSwarm(): Promise<void>;
  networkExists(name: string): Promise<boolean>;
  createNetwork(spec: Record<string, unknown>): Promise<void>;
  /** Secret or config names that exist, among those with `role` label. */
  objectNames(kind: 'secret' | 'config'): Promise<string[]>;
  createObject(
    kind: 'secret' | 'config',
    name: string,
    data: string,
    labels: Record<string, string>,
  ): Promise<void>;
  findService(name: string): Promise<ExistingService | undefined>;
  createService(spec: Record<string, unknown>): Promise<void>;
  updateService(existing: ExistingService, spec: Record<string, unknown>): Promise<void>;
}
