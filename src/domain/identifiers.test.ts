import { describe, expect, it } from 'vitest';
import { isVmId, newVmId } from './identifiers.js';

describe('newVmId', () => {
  it('makes valid, distinct ids that start with a letter', () => {
    const ids = Array.from({ length: 200 }, newVmId);
    for (const id of ids) {
      expect(isVmId(id), id).toBe(true);
      expect(id).toMatch(/^[a-z]/);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
