import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { runCli } from './main.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const seed = new URL('../../examples/seed-code-server.py', import.meta.url).pathname;
const webtop = new URL('../../examples/webtop.yaml', import.meta.url).pathname;

async function tempFile(name: string, text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'swiftor-cli-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('swiftor', () => {
  it('prints help and rejects unknown commands', async () => {
    expect((await run('--help')).out).toMatch(/Commands:\n {2}validate/);
    const unknown = await run('deploy');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "deploy"/);
    expect((await run('render', '--help')).out).toMatch(/--password-file F/);
  });

  it('validate: exit 0 and a summary for valid files', async () => {
    const result = await run('validate', seed, webtop);
    expect(result.code).toBe(0);
    expect(result.out).toContain('seed-code-server.py: 1 valid entry (code-server)');
  });

  it('validate: exit 1 and FILE:LINE:COL ENTRY.field lines for problems', async () => {
    const bad = await tempFile(
      'bad.yaml',
      'ide:\n  image_name: ide\n  networking:\n    entrypoint_port: 0\n',
    );
    const result = await run('validate', seed, bad);
    expect(result.code).toBe(1);
    expect(result.err).toBe(`${bad}:4:22 ide.networking.entrypoint_port: must be from 1 to 65535`);
  });

  it('validate: a missing file is a problem, not a crash', async () => {
    const result = await run('validate', '/nonexistent/catalog.yaml');
    expect(result).toMatchObject({
      code: 1,
      err: '/nonexistent/catalog.yaml:1:1 (file): file not found',
    });
  });

  it('render: prints the ServiceSpec with a password placeholder', async () => {
    const result = await run(
      'render',
      seed,
      '--user',
      'alice',
      '--vm-id',
      'k3x9a0b2c4',
      '--storage-root',
      '/data',
    );
    expect(result.code).toBe(0);
    const spec = JSON.parse(result.out);
    expect(spec.Name).toBe('vm-k3x9a0b2c4');
    expect(spec.TaskTemplate.ContainerSpec.Env).toContain('SUDO_PASSWORD=<vm-password>');
    expect(spec.TaskTemplate.ContainerSpec.Mounts[0]).toEqual({
      Type: 'bind',
      Source: '/data/alice/vms/k3x9a0b2c4',
      Target: '/config',
    });
    expect(result.err).toMatch(/^warning: default_env.SUDO_PASSWORD/);
  });

  it('render: takes the password from --password-file', async () => {
    const file = await tempFile('pw', 'hunter22\n');
    const result = await run(
      'render',
      seed,
      '--user',
      'alice',
      '--vm-id',
      'k3x9a0b2c4',
      '--password-file',
      file,
    );
    expect(JSON.parse(result.out).TaskTemplate.ContainerSpec.Env).toContain(
      'SUDO_PASSWORD=hunter22',
    );
  });

  it('render: webtop distribution/desktop, ports ingress and --all', async () => {
    const result = await run(
      'render',
      webtop,
      '--user',
      'bob',
      '--vm-id',
      'abcdefghij',
      '--distribution',
      'alpine',
      '--desktop',
      'xfce',
      '--ingress',
      'ports',
      '--all',
    );
    expect(result.code).toBe(0);
    const compiled = JSON.parse(result.out);
    expect(compiled.spec.TaskTemplate.ContainerSpec.Image).toBe(
      'registry.swiftor.io/linuxserver/webtop:latest',
    );
    expect(compiled.spec.EndpointSpec.Ports).toEqual([
      { Protocol: 'tcp', TargetPort: 3000, PublishMode: 'host' },
    ]);
    expect(compiled.secrets).toEqual([{ name: 'vm-abcdefghij-password-v1', envName: 'PASSWORD' }]);
    expect(result.out).not.toContain('<vm-password>');
  });

  it('render: explains usage mistakes and config problems', async () => {
    expect(await run('render', seed, '--vm-id', 'k3x9a0b2c4')).toMatchObject({
      code: 2,
      err: expect.stringContaining('render needs --user'),
    });
    expect(
      await run('render', seed, '--user', 'alice', '--vm-id', 'k3x9a0b2c4', '--bogus'),
    ).toMatchObject({ code: 2 });
    const wrongEntry = await run(
      'render',
      seed,
      '--entry',
      'nope',
      '--user',
      'alice',
      '--vm-id',
      'k3x9a0b2c4',
    );
    expect(wrongEntry).toMatchObject({
      code: 2,
      err: expect.stringContaining('has no entry "nope"; entries: code-server'),
    });
    const badId = await run('render', seed, '--user', 'alice', '--vm-id', 'UPPER');
    expect(badId.code).toBe(1);
    expect(badId.err).toContain('vm_id: "UPPER" is not a valid VM id');
    const oldEngine = await run(
      'render',
      webtop,
      '--user',
      'alice',
      '--vm-id',
      'k3x9a0b2c4',
      '--engine-api',
      '1.41',
    );
    expect(oldEngine).toMatchObject({
      code: 1,
      err: expect.stringContaining('security_profile BASIC needs Docker Engine API 1.44'),
    });
  });

  it('schema: prints the JSON Schema with the seed defaults', async () => {
    const schema = JSON.parse((await run('schema')).out);
    expect(schema.title).toBe('ImageConfig');
    expect(schema.properties.image_prefix.default).toBe('registry.swiftor.io/linuxserver/');
    expect(schema.required).toEqual(['image_name']);
    expect(schema.additionalProperties).toBe(false);
  });
});
