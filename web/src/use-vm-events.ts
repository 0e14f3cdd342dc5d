/** Live VM statuses over server-sent events (no polling); reconnects on its own. */
import { useEffect } from 'react';
import type { Vm } from './api/client';

export function useVmEvents(
  onVm: (vm: Vm) => void,
  onDeleted: (id: string) => void,
  onReconnect?: () => void,
): void {
  useEffect(() => {
    const source = new EventSource('/api/v1/events');
    let opened = false;
    source.addEventListener('vm', (event) => onVm(JSON.parse((event as MessageEvent).data) as Vm));
    source.addEventListener('vm-deleted', (event) =>
      onDeleted((JSON.parse((event as MessageEvent).data) as { id: string }).id),
    );
    // After a reconnect, events may have been missed: let the page reload its list once.
    source.addEventListener('ready', () => {
      if (opened) onReconnect?.();
      opened = true;
    });
    return () => source.close();
  }, [onVm, onDeleted, onReconnect]);
}
