/** The test PostgreSQL that .ci/run starts (scripts/start-test-postgres.sh). */
import pg from 'pg';

export const TEST_DATABASE_URL =
  process.env.SWIFTOR_TEST_DATABASE_URL ?? 'postgres://swiftor:swiftor@127.0.0.1:5432/swiftor_test';

/** Whether it answers; under CI a missing server fails the run instead of skipping. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 3000,
  });
  const ok = await client.connect().then(
    () => true,
    () => false,
  );
  await client.end().catch(() => {});
  if (!ok && process.env.CI === 'true') {
    throw new Error(
      `CI=true but PostgreSQL does not answer at ${TEST_DATABASE_URL}; .ci/run must start it (scripts/start-test-postgres.sh)`,
    );
  }
  return ok;
}
