import { describe, expect, it } from 'vitest';
import { readJsonLines } from './json-lines.js';

describe('readJsonLines', () => {
  it('joins lines split across chunks, skips blank lines, and reports every chunk', async () => {
    const chunks = ['{"a":1}\n{"b"', ':2}\n\n', '{"c":3}\n'].map((c) => Buffer.from(c));
    let seen = 0;
    const values = [];
    for await (const value of readJsonLines(
      (async function* () {
        yield* chunks;
      })(),
      () => seen++,
    ))
      values.push(value);
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(seen).toBe(3);
  });
});
