import { describe, expect, it } from 'vitest';
import { config } from '../../test/support/deploy-context.js';
import { ProblemList } from '../domain/errors.js';
import { compileImageName, type WebtopChoice } from './image-name.js';

const webtop = config({ image_name: 'webtop', is_webtop: true, image_tag: 'latest' });

describe('compileImageName follows the seed', () => {
  it.each<[string, ReturnType<typeof config>, WebtopChoice, string]>([
    [
      'webtop with distribution and desktop',
      webtop,
      { distribution: 'ubuntu', desktop: 'kde' },
      'registry.swiftor.io/linuxserver/webtop:ubuntu-kde',
    ],
    [
      'webtop without a choice uses the tag',
      webtop,
      {},
      'registry.swiftor.io/linuxserver/webtop:latest',
    ],
    [
      'tag',
      config({ image_name: 'code-server', image_tag: '4.9.1' }),
      {},
      'registry.swiftor.io/linuxserver/code-server:4.9.1',
    ],
    [
      'no tag',
      config({ image_name: 'code-server' }),
      {},
      'registry.swiftor.io/linuxserver/code-server',
    ],
    [
      'None tag',
      config({ image_name: 'code-server', image_tag: null }),
      {},
      'registry.swiftor.io/linuxserver/code-server',
    ],
    [
      'empty tag',
      config({ image_name: 'code-server', image_tag: '' }),
      {},
      'registry.swiftor.io/linuxserver/code-server',
    ],
    [
      'Docker Hub',
      config({ image_prefix: '', image_name: 'nginx', image_tag: '1.27' }),
      {},
      'nginx:1.27',
    ],
    [
      'other registry',
      config({ image_prefix: 'ghcr.io/acme/', image_name: 'ide' }),
      {},
      'ghcr.io/acme/ide',
    ],
    [
      'webtop tag override (alpine-xfce is latest)',
      config({
        image_name: 'webtop',
        is_webtop: true,
        platform: { webtop_tags: { 'alpine-xfce': 'latest' } },
      }),
      { distribution: 'alpine', desktop: 'xfce' },
      'registry.swiftor.io/linuxserver/webtop:latest',
    ],
  ])('%s', (_name, cfg, choice, expected) => {
    const problems = new ProblemList();
    expect(compileImageName(cfg, choice, problems)).toBe(expected);
    expect(problems.problems).toEqual([]);
  });
});

describe('compileImageName errors', () => {
  function errorFor(cfg: ReturnType<typeof config>, choice: WebtopChoice) {
    const problems = new ProblemList();
    compileImageName(cfg, choice, problems);
    return problems.problems;
  }

  it('needs both distribution and desktop, or neither', () => {
    expect(errorFor(webtop, { distribution: 'ubuntu' })).toEqual([
      {
        field: 'desktop',
        detail: 'give both a distribution and a desktop (e.g. ubuntu and kde), or neither',
      },
    ]);
    expect(errorFor(webtop, { desktop: 'kde' })[0]?.field).toBe('distribution');
  });

  it('refuses a distribution for a non-webtop image', () => {
    const [problem] = errorFor(config({ image_name: 'code-server' }), {
      distribution: 'ubuntu',
      desktop: 'kde',
    });
    expect(problem?.detail).toMatch(/not a webtop image/);
  });

  it('offers only the allowed variants and lists them', () => {
    const limited = config({
      image_name: 'webtop',
      is_webtop: true,
      platform: { webtop_variants: { ubuntu: ['kde', 'xfce'] } },
    });
    expect(errorFor(limited, { distribution: 'ubuntu', desktop: 'kde' })).toEqual([]);
    expect(errorFor(limited, { distribution: 'arch', desktop: 'kde' })[0]?.detail).toBe(
      'arch/kde is not offered; choose one of ubuntu/kde, ubuntu/xfce',
    );
  });
});
