/** ClusterPort on the Docker Engine API: networks, secrets, configs, platform services. */
import type { ClusterPort, ExistingService } from '../domain/cluster-port.js';
import { NotFoundError } from '../domain/errors.js';
import type { DockerEngine } from './docker-engine.js';

export class DockerCluster implements ClusterPort {
  constructor(private readonly engine: DockerEngine) {}

  private get http() {
    return this.engine.http;
  }

  async swarm() {
    const info = await this.http.call<{
      Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean };
    }>('GET', '/info');
    const engine = await this.engine.info();
    return {
      active: info.Swarm?.LocalNodeState === 'active',
      manager: info.Swarm?.ControlAvailable === true,
      apiVersion: engine.apiVersion,
      engineVersion: engine.engineVersion,
    };
  }

  async initSwarm() {
    await this.http.call(
      'POST',
      '/swarm/init',
      { body: { ListenAddr: '0.0.0.0:2377' } },
      'initialising Swarm',
    );
  }

  async networkExists(name: string) {
    return this.http.call('GET', `/networks/${encodeURIComponent(name)}`).then(
      () => true,
      (error: unknown) => {
        if (error instanceof NotFoundError) return false;
        throw error;
      },
    );
  }

  async createNetwork(spec: Record<string, unknown>) {
    await this.http.call(
      'POST',
      '/networks/create',
      { body: spec },
      `creating network ${String(spec.Name)}`,
    );
  }

  async objectNames(kind: 'secret' | 'config') {
    const list = await this.http.call<{ Spec: { Name: string } }[]>('GET', `/${kind}s`);
    return list.map((o) => o.Spec.Name);
  }

  async createObject(
    kind: 'secret' | 'config',
    name: string,
    data: string,
    labels: Record<string, string>,
  ) {
    await this.http.call(
      'POST',
      `/${kind}s/create`,
      { body: { Name: name, Data: Buffer.from(data).toString('base64'), Labels: labels } },
      `creating ${kind} ${name}`,
    );
  }

  async findService(name: string): Promise<ExistingService | undefined> {
    try {
      const s = await this.http.call<{
        ID: string;
        Version: { Index: number };
        Spec: { Labels?: Record<string, string> };
      }>('GET', `/services/${encodeURIComponent(name)}`);
      return { id: s.ID, version: s.Version.Index, labels: s.Spec.Labels ?? {} };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** Secret/config references need IDs; resolve them by name right before sending. */
  private async withIds(spec: Record<string, unknown>): Promise<Record<string, unknown>> {
    const copy = structuredClone(spec) as {
      TaskTemplate: {
        ContainerSpec: {
          Secrets?: { SecretName: string; SecretID?: string }[];
          Configs?: { ConfigName: string; ConfigID?: string }[];
        };
      };
    };
    const container = copy.TaskTemplate.ContainerSpec;
    const ids = async (kind: 'secret' | 'config') =>
      new Map(
        (await this.http.call<{ ID: string; Spec: { Name: string } }[]>('GET', `/${kind}s`)).map(
          (o) => [o.Spec.Name, o.ID],
        ),
      );
    if (container.Secrets?.length) {
      const secrets = await ids('secret');
      for (const ref of container.Secrets) ref.SecretID = secrets.get(ref.SecretName) ?? '';
    }
    if (container.Configs?.length) {
      const configs = await ids('config');
      for (const ref of container.Configs) ref.ConfigID = configs.get(ref.ConfigName) ?? '';
    }
    return copy as unknown as Record<string, unknown>;
  }

  async createService(spec: Record<string, unknown>) {
    await this.http.call(
      'POST',
      '/services/create',
      { body: await this.withIds(spec) },
      `creating service ${String(spec.Name)}`,
    );
  }

  async updateService(existing: ExistingService, spec: Record<string, unknown>) {
    await this.http.call(
      'POST',
      `/services/${existing.id}/update`,
      { query: { version: existing.version }, body: await this.withIds(spec) },
      `updating service ${String(spec.Name)}`,
    );
  }
}
