/** JSON Schema (draft 2020-12) of ImageConfig as contributors write it, generated from zod. */
import { z } from 'zod';
import { ImageConfigSchema } from './image-config.js';

export function imageConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ImageConfigSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://swiftor.io/schema/image-config.schema.json',
    title: 'ImageConfig',
    description:
      'How Swiftor deploys one image (seed: contributing-vm-image.txt). Field names and defaults are the seed\'s; "platform" holds optional Swiftor extensions.',
  };
}
