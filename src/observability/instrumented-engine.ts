/** Records the latency and outcome of every engine operation without touching the driver. */
import type { EnginePort } from '../domain/engine-port.js';
import type { Metrics } from './metrics.js';

const TIMED = [
  'info',
  'ensureImage',
  'createService',
  'updateService',
  'scaleService',
  'restartService',
  'removeService',
  'inspectService',
  'observe',
] as const;

export function instrumentEngine(engine: EnginePort, metrics: Metrics): EnginePort {
  const wrapped: EnginePort = Object.create(engine);
  for (const operation of TIMED) {
    const original = engine[operation].bind(engine) as (...args: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, unknown>)[operation] = async (...args: unknown[]) => {
      const stop = metrics.engineRequestDuration.startTimer({ operation });
      try {
        const result = await original(...args);
        stop({ outcome: 'ok' });
        return result;
      } catch (error) {
        stop({ outcome: (error as { code?: string }).code ?? 'error' });
        throw error;
      }
    };
  }
  wrapped.logs = engine.logs.bind(engine);
  wrapped.watch = engine.watch.bind(engine);
  return wrapped;
}
