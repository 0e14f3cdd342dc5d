/** My VMs (all VMs for admins) with live statuses and actions. */
import { useCallback, useEffect, useState } from 'react';
import { api, call, type Vm } from '../api/client';
import { ErrorMessage } from '../components/error-message';
import { StatusBadge } from '../components/status-badge';
import { Link } from '../router';
import { useVmEvents } from '../use-vm-events';
import { DeleteVmButton, VmActions } from './vm-actions';

export function VmListPage({ title = 'My VMs' }: { title?: string }) {
  const [vms, setVms] = useState<Vm[]>();
  const [error, setError] = useState<unknown>();

  const load = useCallback(() => {
    call(api.GET('/api/v1/vms')).then(setVms, setError);
  }, []);
  useEffect(load, [load]);
  const onVm = useCallback(
    (vm: Vm) =>
      setVms((list) =>
        list?.some((v) => v.id === vm.id)
          ? list.map((v) => (v.id === vm.id ? vm : v))
          : [...(list ?? []), vm],
      ),
    [],
  );
  const onDeleted = useCallback(
    (id: string) => setVms((list) => list?.filter((v) => v.id !== id)),
    [],
  );
  useVmEvents(onVm, onDeleted, load);

  return (
    <section>
      <h1>{title}</h1>
      <ErrorMessage error={error} />
      {!vms && !error && <p className="loading">Loading…</p>}
      {vms?.length === 0 && (
        <p>
          No VMs yet. <Link to="/catalog">Launch one from the catalog.</Link>
        </p>
      )}
      <ul className="vm-list" aria-label="VMs">
        {vms?.map((vm) => (
          <li key={vm.id} className="card vm-row" data-vm={vm.id}>
            <div className="vm-title">
              <Link to={`/vms/${vm.id}`}>{vm.name ?? vm.image}</Link>
              <span className="muted">
                {vm.image}
                {vm.distribution ? ` · ${vm.distribution}/${vm.desktop}` : ''} · {vm.id} ·{' '}
                {vm.owner}
              </span>
            </div>
            <StatusBadge vm={vm} />
            <p className="reason" aria-live="polite">
              {vm.reason ?? '\u00a0'}
            </p>
            <div className="actions">
              <VmActions vm={vm} onChanged={onVm} />
              <DeleteVmButton vm={vm} onDeleted={() => onDeleted(vm.id)} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
