/**
 * The platform's catalog: the built-in file plus every catalog file in the operator's
 * directory (an operator entry replaces a built-in one of the same name). Any problem stops
 * start-up with FILE:LINE:COL lines, so a broken catalog is never half-loaded.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../domain/errors.js';
import {
  CATALOG_FILE_EXTENSIONS,
  type CatalogEntry,
  formatProblem,
  loadCatalogFile,
} from './load-catalog-file.js';

export const BUILTIN_CATALOG_FILE = fileURLToPath(
  new URL('../../catalog/builtin.yaml', import.meta.url),
);

export interface Catalog {
  entries: CatalogEntry[];
  get(name: string): CatalogEntry | undefined;
}

export async function loadCatalog(
  operatorDir?: string,
  builtinFile = BUILTIN_CATALOG_FILE,
): Promise<Catalog> {
  const files = [builtinFile];
  if (operatorDir) {
    const names = await readdir(operatorDir).catch((error: NodeJS.ErrnoException) => {
      throw new ValidationError(
        `catalog directory ${operatorDir} cannot be read: ${error.code ?? error.message}`,
        [],
      );
    });
    files.push(
      ...names
        .filter((n) => CATALOG_FILE_EXTENSIONS.includes(extname(n).toLowerCase()))
        .sort()
        .map((n) => join(operatorDir, n)),
    );
  }
  const byName = new Map<string, CatalogEntry>();
  const problems: string[] = [];
  for (const file of files) {
    const loaded = await loadCatalogFile(file);
    problems.push(...loaded.problems.map(formatProblem));
    for (const entry of loaded.entries) byName.set(entry.name, entry);
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `the catalog has ${problems.length} problem(s)`,
      problems.map((p) => ({ field: 'catalog', detail: p })),
    );
  }
  const entries = [...byName.values()];
  return { entries, get: (name) => byName.get(name) };
}
