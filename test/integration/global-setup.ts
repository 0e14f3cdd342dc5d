/**
 * Integration tests start the server as a user would (`npm start` runs dist/main.js), so
 * dist/ must match the sources under test: build once before any test runs.
 */
import { execSync } from 'node:child_process';

export default function setup(): void {
  execSync('npm run -s build', { stdio: 'inherit' });
}
