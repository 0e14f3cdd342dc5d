/**
 * Catalog files: a mapping of entry name -> ImageConfig (like the seed's
 * `"code-server": ImageConfig(...)`), or one bare ImageConfig named after the file.
 * YAML, JSON and the seed's Python format are accepted; every problem comes back with its
 * file, line and column.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { describeIssues, formatFieldPath } from '../domain/describe-issues.js';
import { type ImageConfig, ImageConfigSchema } from '../domain/image-config.js';
import { childOf, type Located, positionOf } from './located-value.js';
import { parsePythonLiteral } from './parse-python-literal.js';
import { parseYamlLocated, SourceSyntaxError } from './parse-yaml.js';

export interface CatalogProblem {
  file: string;
  line: number;
  col: number;
  /** Entry name, when the problem belongs to one entry. */
  entry?: string;
  /** Field path inside the entry, e.g. `networking.entrypoint_port`. */
  field: string;
  message: string;
}

export interface CatalogEntry {
  name: string;
  config: ImageConfig;
  file: string;
  line: number;
}

export interface LoadedCatalog {
  entries: CatalogEntry[];
  problems: CatalogProblem[];
}

export const CATALOG_FILE_EXTENSIONS = ['.yaml', '.yml', '.json', '.py'];
const ENTRY_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const EXPECTED_CTORS: Record<string, string> = {
  networking: 'NetworkingConfig',
  traefik: 'TraefikConfig',
};

/** `FILE:LINE:COL ENTRY.field.path: message`, the line format of `swiftor validate`. */
export function formatProblem(problem: CatalogProblem): string {
  const where = [problem.entry, problem.field].filter(Boolean).join('.');
  return `${problem.file}:${problem.line}:${problem.col} ${where || '(file)'}: ${problem.message}`;
}

function parseSource(text: string, file: string): Located {
  return extname(file).toLowerCase() === '.py' ? parsePythonLiteral(text) : parseYamlLocated(text);
}

function isBareConfig(root: Located): boolean {
  if (root.ctor === 'ImageConfig') return true;
  const value = root.value;
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'image_name' in value;
}

/** Python files name their classes; a VolumeBinding where a TraefikConfig belongs is a mistake. */
function checkConstructors(
  node: Located,
  problem: (path: PropertyKey[], message: string) => void,
): void {
  if (node.ctor && node.ctor !== 'ImageConfig')
    problem([], `expected ImageConfig(...), found ${node.ctor}(...)`);
  for (const [field, expected] of Object.entries(EXPECTED_CTORS)) {
    const ctor = childOf(node, field)?.ctor;
    if (ctor && ctor !== expected && ctor !== 'dict')
      problem([field], `expected ${expected}(...), found ${ctor}(...)`);
  }
  for (const [name, child] of childOf(node, 'volumes')?.children ?? []) {
    const ctor = child.node.ctor;
    if (ctor && ctor !== 'VolumeBinding' && ctor !== 'dict') {
      problem(['volumes', name], `expected VolumeBinding(...), found ${ctor}(...)`);
    }
  }
}

function validateEntry(
  name: string,
  node: Located,
  file: string,
  problems: CatalogProblem[],
): CatalogEntry | undefined {
  const add = (path: PropertyKey[], message: string, keyOf = false) => {
    problems.push({
      file,
      ...positionOf(node, path, keyOf),
      entry: name,
      field: formatFieldPath(path),
      message,
    });
  };
  if (!ENTRY_NAME.test(name)) {
    problems.push({
      file,
      line: node.line,
      col: node.col,
      entry: name,
      field: '',
      message: 'an entry name is 1-63 characters of a-z, 0-9 and -, e.g. "code-server"',
    });
  }
  checkConstructors(node, add);
  const result = ImageConfigSchema.safeParse(node.value);
  if (!result.success) {
    for (const issue of describeIssues(result.error.issues))
      add(issue.path, issue.message, issue.atKey);
    return undefined;
  }
  return { name, config: result.data, file, line: node.line };
}

function sortByPosition(problems: CatalogProblem[]): CatalogProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Parses and validates catalog text; `file` is used for messages and the file type. */
export function parseCatalogSource(text: string, file: string): LoadedCatalog {
  const problems: CatalogProblem[] = [];
  let root: Located;
  try {
    root = parseSource(text, file);
  } catch (error) {
    if (!(error instanceof SourceSyntaxError)) throw error;
    return {
      entries: [],
      problems: [{ file, ...error.position, field: '', message: error.message }],
    };
  }
  const entries: CatalogEntry[] = [];
  if (isBareConfig(root)) {
    const entry = validateEntry(basename(file, extname(file)), root, file, problems);
    return { entries: entry ? [entry] : [], problems: sortByPosition(problems) };
  }
  if (!root.children || Array.isArray(root.value)) {
    return {
      entries,
      problems: [
        {
          file,
          line: root.line,
          col: root.col,
          field: '',
          message: 'expected a mapping of entry name -> ImageConfig, or one ImageConfig',
        },
      ],
    };
  }
  if (root.children.size === 0) {
    problems.push({
      file,
      line: 1,
      col: 1,
      field: '',
      message: 'the file holds no catalog entries',
    });
  }
  for (const [name, child] of root.children) {
    const entry = validateEntry(String(name), child.node, file, problems);
    if (entry) entries.push(entry);
  }
  return { entries, problems: sortByPosition(problems) };
}

export async function loadCatalogFile(path: string): Promise<LoadedCatalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'file not found'
        : (error as Error).message;
    return { entries: [], problems: [{ file: path, line: 1, col: 1, field: '', message: reason }] };
  }
  return parseCatalogSource(text, path);
}
