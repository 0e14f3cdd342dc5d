/**
 * Extra local test images built on top of swiftor-test/httpd (no registry needed):
 * swiftor-test/httpd-logs prints a line at start and logs every request, so logs have content.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_SOCKET, engineRequest } from './engine.js';

export const LOGGING_TEST_IMAGE = 'swiftor-test/httpd-logs:latest';

export async function ensureLoggingTestImage(): Promise<void> {
  if ((await engineRequest('GET', `/images/${LOGGING_TEST_IMAGE}/json`)).status === 200) return;
  const dir = mkdtempSync(join(tmpdir(), 'swiftor-image-'));
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM swiftor-test/httpd:latest\nCMD ["sh", "-c", "echo swiftor test VM started; exec httpd -f -v -p 3000 -h /www"]\n',
  );
  const context = execFileSync('tar', ['-c', '-C', dir, 'Dockerfile']);
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve, reject) => {
    const req = request(
      {
        socketPath: DOCKER_SOCKET,
        method: 'POST',
        path: `/build?t=${encodeURIComponent(LOGGING_TEST_IMAGE)}&pull=0`,
        headers: { 'Content-Type': 'application/x-tar' },
      },
      (res) => {
        let out = '';
        res.on('data', (c: Buffer) => (out += c.toString()));
        res.on('end', () =>
          res.statusCode === 200 && !out.includes('"error"')
            ? resolve()
            : reject(new Error(`image build failed: ${out}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(context);
  });
}
