/** The seed's "Generating Full Image Name" rules. */
import type { ProblemList } from '../domain/errors.js';
import type { ImageConfig } from '../domain/image-config.js';

export interface WebtopChoice {
  distribution?: string;
  desktop?: string;
}

/**
 * - webtop with distribution and desktop: `{prefix}{name}:{distribution}-{desktop}`
 *   (or the tag from `platform.webtop_tags` for that pair, e.g. alpine-xfce -> latest);
 * - else a tag: `{prefix}{name}:{tag}`;
 * - else `{prefix}{name}` (the engine then uses `latest`).
 */
export function compileImageName(
  config: ImageConfig,
  choice: WebtopChoice,
  problems: ProblemList,
): string {
  const base = `${config.image_prefix}${config.image_name}`;
  const { distribution, desktop } = choice;
  if ((distribution === undefined) !== (desktop === undefined)) {
    problems.add(
      distribution === undefined ? 'distribution' : 'desktop',
      'give both a distribution and a desktop (e.g. ubuntu and kde), or neither',
    );
    return base;
  }
  if (distribution !== undefined && desktop !== undefined) {
    if (!config.is_webtop) {
      problems.add(
        'distribution',
        `${config.image_name} is not a webtop image (is_webtop is false); leave distribution and desktop out`,
      );
      return base;
    }
    const variants = config.platform?.webtop_variants;
    if (variants && !variants[distribution]?.includes(desktop)) {
      const valid = Object.entries(variants).flatMap(([d, ks]) => ks.map((k) => `${d}/${k}`));
      problems.add(
        'distribution',
        `${distribution}/${desktop} is not offered; choose one of ${valid.join(', ')}`,
      );
      return base;
    }
    const pair = `${distribution}-${desktop}`;
    return `${base}:${config.platform?.webtop_tags?.[pair] ?? pair}`;
  }
  return config.image_tag ? `${base}:${config.image_tag}` : base;
}
