/** Loads a catalog file for a command that works on one entry. */
import { type CatalogEntry, formatProblem, loadCatalogFile } from '../catalog/load-catalog-file.js';
import { UsageError } from './cli-io.js';

export class InvalidCatalogError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

export async function selectEntry(file: string, name: string | undefined): Promise<CatalogEntry> {
  const { entries, problems } = await loadCatalogFile(file);
  if (problems.length > 0) throw new InvalidCatalogError(problems.map(formatProblem));
  if (name === undefined) {
    if (entries.length === 1 && entries[0]) return entries[0];
    throw new UsageError(
      `${file} has ${entries.length} entries; pick one with --entry (${entries.map((e) => e.name).join(', ')})`,
    );
  }
  const entry = entries.find((e) => e.name === name);
  if (!entry)
    throw new UsageError(
      `${file} has no entry "${name}"; entries: ${entries.map((e) => e.name).join(', ')}`,
    );
  return entry;
}
