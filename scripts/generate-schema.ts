/**
 * Writes schema/image-config.schema.json from the zod schema. With --check, fails instead
 * when the committed file is stale (CI runs this).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { imageConfigJsonSchema } from '../src/domain/image-config-json-schema.js';

const target = new URL('../schema/image-config.schema.json', import.meta.url);
const fresh = `${JSON.stringify(imageConfigJsonSchema(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== fresh) {
    console.error('schema/image-config.schema.json is stale: run `npm run generate` and commit it');
    process.exit(1);
  }
  console.log('schema/image-config.schema.json is up to date');
} else {
  await writeFile(target, fresh);
  console.log('wrote schema/image-config.schema.json');
}
