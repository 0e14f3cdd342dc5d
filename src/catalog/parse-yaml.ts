/** Reads YAML (and JSON, which YAML 1.2 includes) into a position-aware tree. */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Located, Position } from './located-value.js';

export class SourceSyntaxError extends Error {
  readonly position: Position;

  constructor(message: string, at: Position) {
    super(message);
    this.position = { line: at.line, col: at.col };
  }
}

export function parseYamlLocated(text: string): Located {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): Position => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, col: pos.col };
  };
  const firstError = doc.errors[0];
  if (firstError)
    throw new SourceSyntaxError(
      firstError.message.split('\n')[0] ?? 'syntax error',
      at(firstError.pos[0]),
    );

  const convert = (node: Node | null | undefined | unknown, fallback: Position): Located => {
    if (isMap(node)) {
      const children: Located['children'] = new Map();
      const value: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = String(isScalar(keyNode) ? keyNode.value : keyNode);
        const keyPos = at(keyNode?.range?.[0]);
        const child = convert(pair.value, keyPos);
        children.set(key, { key: keyPos, node: child });
        value[key] = child.value;
      }
      return { ...at(node.range?.[0]), value, children };
    }
    if (isSeq(node)) {
      const children: Located['children'] = new Map();
      const value = node.items.map((item, index) => {
        const child = convert(item, at((item as Node | null)?.range?.[0]));
        children.set(index, { key: child, node: child });
        return child.value;
      });
      return { ...at(node.range?.[0]), value, children };
    }
    if (isScalar(node)) return { ...at(node.range?.[0]), value: node.value };
    return { ...fallback, value: null };
  };
  return convert(doc.contents, { line: 1, col: 1 });
}
