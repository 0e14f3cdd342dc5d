/** Open / stop / start / restart, and delete with a confirmation that says what is kept. */
import { useState } from 'react';
import { api, call, type Vm } from '../api/client';
import { ErrorMessage } from '../components/error-message';

export function VmActions({ vm, onChanged }: { vm: Vm; onChanged: (vm: Vm) => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const main = vm.urls.find((u) => u.kind === 'entrypoint');

  async function act(action: 'start' | 'stop' | 'restart') {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(
        await call(
          api.POST('/api/v1/vms/{id}/{action}', { params: { path: { id: vm.id, action } } }),
        ),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {main && vm.status === 'running' ? (
        <a className="button" href={main.url} target="_blank" rel="noreferrer">
          Open
        </a>
      ) : (
        <span className="button disabled" aria-disabled="true">
          Open
        </span>
      )}
      {vm.desiredState === 'running' ? (
        <>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void act('stop')}
          >
            Stop
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void act('restart')}
          >
            Restart
          </button>
        </>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void act('start')}
        >
          Start
        </button>
      )}
      <ErrorMessage error={error} />
    </>
  );
}

export function DeleteVmButton({ vm, onDeleted }: { vm: Vm; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [purge, setPurge] = useState(false);
  const [error, setError] = useState<unknown>();

  async function remove() {
    try {
      await call(
        api.DELETE('/api/v1/vms/{id}', {
          params: { path: { id: vm.id }, query: { purge: purge ? 'true' : 'false' } },
        }),
      );
      onDeleted();
    } catch (e) {
      setError(e);
    }
  }

  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div className="confirm" role="dialog" aria-label={`Delete ${vm.name ?? vm.id}`}>
      <p>
        Delete <strong>{vm.name ?? vm.id}</strong>? Your shared storage is never deleted.
      </p>
      <label className="inline">
        <input type="checkbox" checked={purge} onChange={(e) => setPurge(e.target.checked)} />
        Also delete this VM’s config folder (its /config)
      </label>
      <p className="muted">
        {purge ? 'The VM folder will be deleted too.' : 'The VM folder is kept.'}
      </p>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete VM
        </button>
        <button type="button" className="secondary" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
