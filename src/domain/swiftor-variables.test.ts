import { describe, expect, it } from 'vitest';
import { checkVariables, referencedVariables, resolveTemplate } from './swiftor-variables.js';

const values = { SWIFTOR_USERNAME: 'alice', SWIFTOR_PASSWORD: 'pw', SWIFTOR_VMID: 'k3x9a0b2c4' };

describe('resolveTemplate', () => {
  it.each([
    ['https://${SWIFTOR_VMID}.swiftor.io', 'https://k3x9a0b2c4.swiftor.io'],
    ['${SWIFTOR_USERNAME}:${SWIFTOR_PASSWORD}', 'alice:pw'],
    ['no variables', 'no variables'],
    ['${HOME}/x', '${HOME}/x'],
    ['$${SWIFTOR_VMID}', '${SWIFTOR_VMID}'],
    ['$${HOME}', '${HOME}'],
    ['a$b${SWIFTOR_VMID}c', 'a$bk3x9a0b2c4c'],
    ['', ''],
  ])('%s -> %s', (input, expected) => {
    expect(resolveTemplate(input, values)).toBe(expected);
  });

  it('refuses a variable that has no value in this position', () => {
    expect(() => resolveTemplate('${SWIFTOR_PASSWORD}', { SWIFTOR_VMID: 'x' })).toThrow(
      /cannot be used here/,
    );
  });
});

describe('checkVariables', () => {
  it('names an unknown SWIFTOR_ variable and the valid ones', () => {
    const [problem] = checkVariables('${SWIFTOR_VM_ID}', true);
    expect(problem).toContain('unknown variable ${SWIFTOR_VM_ID}');
    expect(problem).toContain('${SWIFTOR_VMID}');
  });

  it('allows the password only where allowPassword is true', () => {
    expect(checkVariables('${SWIFTOR_PASSWORD}', true)).toEqual([]);
    expect(checkVariables('x=${SWIFTOR_PASSWORD}', false)[0]).toMatch(/not allowed here/);
  });

  it('ignores escaped and foreign references', () => {
    expect(checkVariables('$${SWIFTOR_NOPE} ${OTHER}', false)).toEqual([]);
  });

  it('lists referenced variables', () => {
    expect(referencedVariables('${SWIFTOR_VMID}-${SWIFTOR_X}-$${SWIFTOR_PASSWORD}')).toEqual([
      'SWIFTOR_VMID',
      'SWIFTOR_X',
    ]);
  });
});
