/** The catalog: a searchable grid; webtops ask for a distribution and desktop from the valid pairs. */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, type CatalogEntry, call } from '../api/client';
import { ErrorMessage } from '../components/error-message';
import { useRoute } from '../router';

function LaunchForm({ entry, onCancel }: { entry: CatalogEntry; onCancel: () => void }) {
  const { navigate } = useRoute();
  const first = entry.variants[0];
  const [distribution, setDistribution] = useState(first?.distribution ?? '');
  const [desktop, setDesktop] = useState(first?.desktops[0] ?? '');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const desktops = entry.variants.find((v) => v.distribution === distribution)?.desktops ?? [];

  async function launch(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        image: entry.name,
        ...(name ? { name } : {}),
        ...(entry.isWebtop && distribution ? { distribution, desktop } : {}),
      };
      const vm = await call(api.POST('/api/v1/vms', { body }));
      navigate(`/vms/${vm.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <form className="launch" onSubmit={launch} aria-label={`Launch ${entry.title}`}>
      {entry.isWebtop && entry.variants.length > 0 && (
        <>
          <label>
            Distribution
            <select
              value={distribution}
              onChange={(e) => {
                setDistribution(e.target.value);
                setDesktop(
                  entry.variants.find((v) => v.distribution === e.target.value)?.desktops[0] ?? '',
                );
              }}
            >
              {entry.variants.map((v) => (
                <option key={v.distribution} value={v.distribution}>
                  {v.distribution}
                </option>
              ))}
            </select>
          </label>
          <label>
            Desktop
            <select value={desktop} onChange={(e) => setDesktop(e.target.value)}>
              {desktops.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <label>
        Name (optional)
        <input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
      </label>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Launching…' : 'Launch'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function CatalogPage() {
  const [entries, setEntries] = useState<CatalogEntry[]>();
  const [error, setError] = useState<unknown>();
  const [query, setQuery] = useState('');
  const [launching, setLaunching] = useState<string>();

  useEffect(() => {
    call(api.GET('/api/v1/catalog')).then(setEntries, setError);
  }, []);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (entries ?? []).filter(
      (e) =>
        !q || [e.name, e.title, e.description, e.category].some((t) => t.toLowerCase().includes(q)),
    );
  }, [entries, query]);

  return (
    <section>
      <h1>Catalog</h1>
      <label className="search">
        Search images
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="desktop, browser, code…"
        />
      </label>
      <ErrorMessage error={error} />
      {!entries && !error && <p className="loading">Loading the catalog…</p>}
      <ul className="grid" aria-label="Images">
        {shown.map((entry) => (
          <li key={entry.name} className="card entry">
            <div className="entry-head">
              <span className="icon" aria-hidden="true">
                {entry.icon ? <img src={entry.icon} alt="" /> : entry.title.slice(0, 1)}
              </span>
              <div>
                <h2>{entry.title}</h2>
                <span className="category">{entry.category}</span>
              </div>
            </div>
            <p>{entry.description}</p>
            {entry.securityProfile !== 'NONE' && (
              <p className="note">Security profile: {entry.securityProfile}</p>
            )}
            {launching === entry.name ? (
              <LaunchForm entry={entry} onCancel={() => setLaunching(undefined)} />
            ) : (
              <button
                type="button"
                onClick={() => setLaunching(entry.name)}
                aria-label={`Launch ${entry.title}`}
              >
                Launch
              </button>
            )}
          </li>
        ))}
      </ul>
      {entries && shown.length === 0 && <p>No image matches “{query}”.</p>}
    </section>
  );
}
