/** Prometheus metrics. A registry per app instance, so tests never share global state. */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  vmsByStatus: Gauge<'status'>;
  reconcilePasses: Counter;
  reconcileDuration: Histogram;
  engineRequestDuration: Histogram<'operation' | 'outcome'>;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  return {
    registry,
    vmsByStatus: new Gauge({
      name: 'swiftor_vms',
      help: 'VMs by status',
      labelNames: ['status'],
      registers: [registry],
    }),
    reconcilePasses: new Counter({
      name: 'swiftor_reconcile_passes_total',
      help: 'Reconcile passes run',
      registers: [registry],
    }),
    reconcileDuration: new Histogram({
      name: 'swiftor_reconcile_duration_seconds',
      help: 'Reconcile pass duration',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    engineRequestDuration: new Histogram({
      name: 'swiftor_engine_request_duration_seconds',
      help: 'Docker engine operation latency',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'swiftor_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  };
}
