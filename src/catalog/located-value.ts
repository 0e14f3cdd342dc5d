/**
 * A parsed document that remembers where each value came from, so validation errors can
 * point at `FILE:LINE:COL`. Both the YAML/JSON reader and the Python literal reader produce it.
 */

export interface Position {
  line: number;
  col: number;
}

export interface Located extends Position {
  value: unknown;
  /** For mappings and sequences: each child with the position of its key. */
  children?: Map<string | number, { key: Position; node: Located }>;
  /** For Python calls such as `VolumeBinding(...)`: the callee's name. */
  ctor?: string;
}

/**
 * The position of the deepest node along `path`. When `keyOf` is true and the last step
 * exists, the position of that key rather than its value (for "unknown field" errors).
 */
export function positionOf(root: Located, path: readonly PropertyKey[], keyOf = false): Position {
  let node = root;
  let position: Position = root;
  for (const step of path) {
    const child = node.children?.get(typeof step === 'symbol' ? String(step) : step);
    if (!child) break;
    position = keyOf ? child.key : child.node;
    node = child.node;
  }
  return { line: position.line, col: position.col };
}

/** The child at `key`, if the node is a mapping holding it. */
export function childOf(node: Located, key: string | number): Located | undefined {
  return node.children?.get(key)?.node;
}
