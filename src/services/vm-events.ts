/** In-process notifications of VM changes, fanned out to server-sent-event subscribers. */
import type { VmRecord } from '../domain/records.js';

export type VmEvent =
  | { type: 'vm.updated'; vm: VmRecord }
  | { type: 'vm.deleted'; vmId: string; ownerId: string };

export class VmEvents {
  private readonly listeners = new Set<(event: VmEvent) => void>();

  emit(event: VmEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: VmEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
