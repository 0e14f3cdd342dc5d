import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract } from '../../test/contract/store.contract.js';
import { openStore } from './kysely-store.js';

const file = join(mkdtempSync(join(tmpdir(), 'swiftor-store-')), 'swiftor.db');
describeStoreContract('SQLite file', () => openStore({ sqliteFile: file }));
