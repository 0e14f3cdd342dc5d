/** One VM: its URLs, port forwards, live logs, what persists, and its security profile. */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, call, type Vm } from '../api/client';
import { ErrorMessage } from '../components/error-message';
import { StatusBadge } from '../components/status-badge';
import { useRoute } from '../router';
import { useVmEvents } from '../use-vm-events';
import { DeleteVmButton, VmActions } from './vm-actions';

interface LogLine {
  stream: 'stdout' | 'stderr';
  timestamp?: string;
  text: string;
  /** Arrival number, a stable React key. */
  seq: number;
}

function Logs({ vm }: { vm: Vm }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [paused, setPaused] = useState(false);
  const [state, setState] = useState('connecting');
  const pausedRef = useRef(false);
  const pending = useRef<LogLine[]>([]);
  const box = useRef<HTMLPreElement>(null);
  const seq = useRef(0);
  pausedRef.current = paused;

  // Swarm's follow covers only tasks that exist when it starts, so subscribe once the VM
  // runs and again each time it runs anew (a restart or start makes a new task).
  const live = vm.status === 'running';
  useEffect(() => {
    if (!live) {
      setState('the VM is not running; logs appear once it starts');
      return;
    }
    setLines([]);
    pending.current = [];
    const source = new EventSource(`/api/v1/vms/${vm.id}/logs?follow=true&tail=200`);
    source.addEventListener('open', () => setState('following'));
    source.addEventListener('log', (event) => {
      const line = {
        ...(JSON.parse((event as MessageEvent).data) as Omit<LogLine, 'seq'>),
        seq: seq.current++,
      };
      if (pausedRef.current) pending.current.push(line);
      else setLines((all) => [...all.slice(-999), line]);
    });
    source.addEventListener('end', () => {
      setState('the log stream ended');
      source.close();
    });
    source.onerror = () => setState('reconnecting…');
    return () => source.close();
  }, [vm.id, live]);

  // Keep the newest line in view while following (runs after every new batch of lines).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `lines` is the trigger, not an input.
  useEffect(() => {
    if (!paused && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, paused]);

  function toggle() {
    if (paused) {
      setLines((all) => [...all, ...pending.current].slice(-1000));
      pending.current = [];
    }
    setPaused(!paused);
  }

  return (
    <section className="card" aria-label="Logs">
      <div className="row">
        <h2>Logs</h2>
        <span className="muted">{paused ? `paused (${pending.current.length} new)` : state}</span>
        <button type="button" className="secondary" onClick={toggle}>
          {paused ? 'Follow' : 'Pause'}
        </button>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it. */}
      <pre className="logs" ref={box} tabIndex={0} role="log">
        {lines.length === 0
          ? 'No log lines yet.'
          : lines.map((l) => (
              <span key={l.seq} className={l.stream}>
                {l.text}
                {'\n'}
              </span>
            ))}
      </pre>
    </section>
  );
}

function PortForwards({ vm, onChanged }: { vm: Vm; onChanged: (vm: Vm) => void }) {
  const [name, setName] = useState('');
  const [port, setPort] = useState('');
  const [error, setError] = useState<unknown>();
  const forwards = vm.urls.filter((u) => u.kind === 'port-forward');

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      onChanged(
        await call(
          api.POST('/api/v1/vms/{id}/port-forwards', {
            params: { path: { id: vm.id } },
            body: { name, port: Number(port) },
          }),
        ),
      );
      setName('');
      setPort('');
    } catch (e) {
      setError(e);
    }
  }

  async function remove(forward: string) {
    setError(undefined);
    try {
      await call(
        api.DELETE('/api/v1/vms/{id}/port-forwards/{name}', {
          params: { path: { id: vm.id, name: forward } },
        }),
      );
      onChanged(await call(api.GET('/api/v1/vms/{id}', { params: { path: { id: vm.id } } })));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="card" aria-label="Port forwards">
      <h2>Port forwards</h2>
      <ul>
        {forwards.map((f) => (
          <li key={f.name}>
            <a href={f.url} target="_blank" rel="noreferrer">
              {f.url}
            </a>{' '}
            <button type="button" className="link-button" onClick={() => void remove(f.name)}>
              Remove {f.name}
            </button>
          </li>
        ))}
        {forwards.length === 0 && <li className="muted">None yet.</li>}
      </ul>
      <form className="inline-form" onSubmit={add}>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            pattern="[a-z0-9-]+"
          />
        </label>
        <label>
          Port
          <input
            value={port}
            onChange={(e) => setPort(e.target.value)}
            required
            inputMode="numeric"
            pattern="[0-9]+"
          />
        </label>
        <button type="submit">Add</button>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

export function VmPage({ id }: { id: string }) {
  const { navigate } = useRoute();
  const [vm, setVm] = useState<Vm>();
  const [allowsForwards, setAllowsForwards] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    call(api.GET('/api/v1/vms/{id}', { params: { path: { id } } })).then(setVm, setError);
  }, [id]);
  const image = vm?.image;
  useEffect(() => {
    if (!image) return;
    call(api.GET('/api/v1/catalog')).then(
      (entries) => setAllowsForwards(entries.some((e) => e.name === image && e.allowsPortForwards)),
      () => {},
    );
  }, [image]);
  const onVm = useCallback(
    (changed: Vm) => {
      if (changed.id === id)
        setVm((current) => ({
          ...changed,
          urls: changed.urls.length ? changed.urls : (current?.urls ?? []),
        }));
    },
    [id],
  );
  const onDeleted = useCallback(
    (deleted: string) => {
      if (deleted === id) navigate('/');
    },
    [id, navigate],
  );
  useVmEvents(onVm, onDeleted);

  if (error) return <ErrorMessage error={error} />;
  if (!vm) return <p className="loading">Loading…</p>;
  return (
    <section className="vm-page">
      <div className="row">
        <h1>{vm.name ?? vm.image}</h1>
        <StatusBadge vm={vm} />
      </div>
      <p className="reason" aria-live="polite">
        {vm.reason ?? '\u00a0'}
      </p>
      <div className="actions">
        <VmActions vm={vm} onChanged={setVm} />
        <DeleteVmButton vm={vm} onDeleted={() => navigate('/')} />
      </div>
      <section className="card" aria-label="Addresses">
        <h2>Addresses</h2>
        <ul>
          {vm.urls
            .filter((u) => u.kind !== 'port-forward')
            .map((u) => (
              <li key={`${u.kind}-${u.name}`}>
                {u.kind === 'route' ? `/${u.name}: ` : ''}
                <a href={u.url} target="_blank" rel="noreferrer">
                  {u.url}
                </a>
              </li>
            ))}
          {vm.urls.length === 0 && <li className="muted">Addresses appear once the VM runs.</li>}
        </ul>
      </section>
      {allowsForwards && <PortForwards vm={vm} onChanged={setVm} />}
      <section className="card" aria-label="What persists">
        <h2>What persists</h2>
        <p>{vm.persistence}</p>
        <p className="muted">
          Stopping removes the container; software installed outside these folders is gone after a
          stop.
        </p>
      </section>
      <section className="card" aria-label="Security profile">
        <h2>Security profile: {vm.securityProfile.name}</h2>
        <p>{vm.securityProfile.description}</p>
      </section>
      <Logs vm={vm} />
      <p className="muted">
        {vm.image}
        {vm.distribution ? ` · ${vm.distribution}/${vm.desktop}` : ''} · id {vm.id} · owner{' '}
        {vm.owner}
      </p>
    </section>
  );
}
