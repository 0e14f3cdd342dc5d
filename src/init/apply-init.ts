/**
 * Brings the cluster to the init plan, idempotently: what exists unchanged is left alone
 * (services compare their init-hash label), changed services are updated in place, and
 * `dryRun` only reports what would happen.
 */
import type { ClusterPort } from '../domain/cluster-port.js';
import { INIT_HASH_LABEL, INIT_LABEL, type InitPlan } from './plan-init.js';

export interface InitStep {
  object: string;
  action: 'create' | 'update' | 'unchanged';
}

export async function applyInit(
  plan: InitPlan,
  cluster: ClusterPort,
  dryRun: boolean,
): Promise<InitStep[]> {
  const steps: InitStep[] = [];
  if (plan.network) {
    const exists = await cluster.networkExists(plan.network.Name);
    steps.push({ object: `network ${plan.network.Name}`, action: exists ? 'unchanged' : 'create' });
    if (!exists && !dryRun) await cluster.createNetwork(plan.network);
  }
  const existing = {
    secret: new Set(await cluster.objectNames('secret')),
    config: new Set(await cluster.objectNames('config')),
  };
  for (const object of plan.objects) {
    const exists = existing[object.kind].has(object.name);
    steps.push({
      object: `${object.kind} ${object.name}`,
      action: exists ? 'unchanged' : 'create',
    });
    if (!exists && !dryRun)
      await cluster.createObject(object.kind, object.name, object.data, {
        [INIT_LABEL]: object.role,
      });
  }
  for (const spec of plan.services) {
    const name = String(spec.Name);
    const found = await cluster.findService(name);
    const wanted = (spec.Labels as Record<string, string>)[INIT_HASH_LABEL];
    const action = !found
      ? 'create'
      : found.labels[INIT_HASH_LABEL] === wanted
        ? 'unchanged'
        : 'update';
    steps.push({ object: `service ${name}`, action });
    if (dryRun || action === 'unchanged') continue;
    if (found) await cluster.updateService(found, spec);
    else await cluster.createService(spec);
  }
  return steps;
}
