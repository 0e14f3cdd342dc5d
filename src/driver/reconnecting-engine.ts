/**
 * An EnginePort that connects on first use and reconnects after the engine was unavailable,
 * so the control plane starts (and reports not-ready) while Docker is down or restarting.
 */
import type { EngineInfo, EnginePort, LogLine, LogOptions } from '../domain/engine-port.js';
import { EngineUnavailableError } from '../domain/errors.js';
import {
  connectDockerEngine,
  type DockerEngine,
  type DockerEngineOptions,
} from './docker-engine.js';

export class ReconnectingEngine implements EnginePort {
  private current: Promise<DockerEngine> | undefined;

  constructor(private readonly options: DockerEngineOptions) {}

  private engine(): Promise<DockerEngine> {
    this.current ??= connectDockerEngine(this.options).catch((error: unknown) => {
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  private async use<T>(call: (engine: DockerEngine) => Promise<T>): Promise<T> {
    const engine = await this.engine();
    try {
      return await call(engine);
    } catch (error) {
      // The engine may have been restarted (or upgraded): negotiate again next time.
      if (error instanceof EngineUnavailableError) this.current = undefined;
      throw error;
    }
  }

  info(): Promise<EngineInfo> {
    return this.use((e) => e.info());
  }
  ensureImage(...args: Parameters<EnginePort['ensureImage']>) {
    return this.use((e) => e.ensureImage(...args));
  }
  createService(...args: Parameters<EnginePort['createService']>) {
    return this.use((e) => e.createService(...args));
  }
  updateService(...args: Parameters<EnginePort['updateService']>) {
    return this.use((e) => e.updateService(...args));
  }
  scaleService(...args: Parameters<EnginePort['scaleService']>) {
    return this.use((e) => e.scaleService(...args));
  }
  restartService(vmId: string) {
    return this.use((e) => e.restartService(vmId));
  }
  removeService(vmId: string) {
    return this.use((e) => e.removeService(vmId));
  }
  inspectService(vmId: string) {
    return this.use((e) => e.inspectService(vmId));
  }
  observe() {
    return this.use((e) => e.observe());
  }
  async watch(onChange: () => void, signal: AbortSignal): Promise<void> {
    return (await this.engine()).watch(onChange, signal);
  }

  async *logs(vmId: string, options: LogOptions): AsyncIterable<LogLine> {
    yield* (await this.engine()).logs(vmId, options);
  }
}
