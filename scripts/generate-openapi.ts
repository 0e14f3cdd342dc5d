/**
 * Writes openapi/openapi.json from the API's zod route definitions. With --check, fails
 * when the committed document is stale (CI runs this).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createApp, OPENAPI_INFO } from '../src/api/app.js';
import type { ApiDeps } from '../src/api/http-context.js';

// Routes only touch their dependencies when a request arrives, so none are needed here.
const app = createApp({} as ApiDeps);
const target = new URL('../openapi/openapi.json', import.meta.url);
const fresh = `${JSON.stringify(app.getOpenAPI31Document({ openapi: '3.1.0', info: OPENAPI_INFO }), null, 2)}\n`;

if (process.argv.includes('--check')) {
  if ((await readFile(target, 'utf8').catch(() => '')) !== fresh) {
    console.error('openapi/openapi.json is stale: run `npm run generate` and commit it');
    process.exit(1);
  }
  console.log('openapi/openapi.json is up to date');
} else {
  await writeFile(target, fresh);
  console.log('wrote openapi/openapi.json');
}
