/** A VM status with its reason; fixed width so changing statuses never shift the layout. */
import type { Vm } from '../api/client';

const LABELS: Record<Vm['status'], string> = {
  creating: 'Creating',
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  deleting: 'Deleting',
  error: 'Error',
};

export function StatusBadge({ vm }: { vm: Pick<Vm, 'status' | 'reason'> }) {
  const busy = ['creating', 'starting', 'stopping', 'deleting'].includes(vm.status);
  return (
    <span
      className={`status status-${vm.status}`}
      data-status={vm.status}
      title={vm.reason ?? undefined}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {LABELS[vm.status]}
    </span>
  );
}
