import { describe, expect, it } from 'vitest';
import { splitImageReference } from './image-reference.js';

describe('splitImageReference', () => {
  it.each([
    [
      'registry.swiftor.io/linuxserver/code-server:latest',
      'registry.swiftor.io/linuxserver/code-server',
      'latest',
    ],
    [
      'registry.swiftor.io/linuxserver/code-server',
      'registry.swiftor.io/linuxserver/code-server',
      'latest',
    ],
    ['localhost:5000/webtop', 'localhost:5000/webtop', 'latest'],
    ['localhost:5000/webtop:ubuntu-kde', 'localhost:5000/webtop', 'ubuntu-kde'],
    ['nginx@sha256:abc', 'nginx', 'sha256:abc'],
  ])('%s', (image, fromImage, tag) => {
    expect(splitImageReference(image)).toEqual({ fromImage, tag });
  });
});
