import { describe, expect, it } from 'vitest';
import { isConfinedToHosts, parseRule } from './traefik-rule.js';

const hosts = new Set(['k3x9a0b2c4.swiftor.io', 'blog-k3x9a0b2c4.swiftor.io']);
const confined = (rule: string) => isConfinedToHosts(parseRule(rule), hosts);

describe('parseRule', () => {
  it('parses matchers, operators, negation and grouping', () => {
    expect(parseRule('Host(`a`) && (Path(`/x`) || !Method("GET"))')).toEqual({
      kind: 'and',
      left: { kind: 'matcher', name: 'Host', args: ['a'] },
      right: {
        kind: 'or',
        left: { kind: 'matcher', name: 'Path', args: ['/x'] },
        right: { kind: 'not', expr: { kind: 'matcher', name: 'Method', args: ['GET'] } },
      },
    });
  });

  it.each([
    'Host(`a`',
    'Host(`a`) &&',
    'Host(`a`) Path(`/`)',
    'Host(`a) ',
    '&& Host(`a`)',
    'Host(`a`) ; drop',
  ])('rejects malformed %j', (rule) => {
    expect(() => parseRule(rule)).toThrow();
  });
});

describe('isConfinedToHosts', () => {
  it.each([
    ['Host(`k3x9a0b2c4.swiftor.io`)', true],
    ['Host(`K3X9A0B2C4.swiftor.io`) && PathPrefix(`/api`)', true],
    ['PathPrefix(`/api`) && Host(`blog-k3x9a0b2c4.swiftor.io`)', true],
    ['Host(`k3x9a0b2c4.swiftor.io`, `blog-k3x9a0b2c4.swiftor.io`)', true],
    [
      '(Host(`k3x9a0b2c4.swiftor.io`) && Path(`/a`)) || (Host(`blog-k3x9a0b2c4.swiftor.io`) && Path(`/b`))',
      true,
    ],
    ['PathPrefix(`/`)', false],
    ['Host(`k3x9a0b2c4.swiftor.io`) || PathPrefix(`/`)', false],
    ['!Host(`k3x9a0b2c4.swiftor.io`)', false],
    ['Header(`X-Host`, `k3x9a0b2c4.swiftor.io`)', false],
  ])('%s -> %s', (rule, expected) => {
    expect(confined(rule)).toBe(expected);
  });

  it.each([
    ['Host(`other1234567.swiftor.io`)', /host other1234567\.swiftor\.io is not this VM's/],
    [
      'Host(`k3x9a0b2c4.swiftor.io`) && !Host(`admin.swiftor.io`)',
      /host admin\.swiftor\.io is not this VM's/,
    ],
    ['HostRegexp(`.*`)', /HostRegexp is not allowed/],
    ['Host(`k3x9a0b2c4.swiftor.io.evil.com`)', /is not this VM's/],
  ])('throws for %s', (rule, message) => {
    expect(() => confined(rule)).toThrow(message);
  });
});
