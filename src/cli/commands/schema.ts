/** `swiftor schema`: prints the JSON Schema of ImageConfig. */
import { imageConfigJsonSchema } from '../../domain/image-config-json-schema.js';
import type { CliIo } from '../cli-io.js';

export const schemaHelp = `Usage: swiftor schema

Prints the JSON Schema (draft 2020-12) of ImageConfig, for editors and CI.`;

export async function runSchema(_args: string[], io: CliIo): Promise<number> {
  io.out(JSON.stringify(imageConfigJsonSchema(), null, 2));
  return 0;
}
