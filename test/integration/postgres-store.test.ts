import { describe } from 'vitest';
import { openStore } from '../../src/store/kysely-store.js';
import { describeStoreContract } from '../contract/store.contract.js';
import { postgresAvailable, TEST_DATABASE_URL } from '../support/postgres.js';

const available = await postgresAvailable();
describe.skipIf(!available)('PostgreSQL', () => {
  describeStoreContract('PostgreSQL', () =>
    openStore({ databaseUrl: TEST_DATABASE_URL, sqliteFile: '' }),
  );
});
