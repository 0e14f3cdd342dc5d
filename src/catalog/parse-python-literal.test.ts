import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from './parse-python-literal.js';
import { SourceSyntaxError } from './parse-yaml.js';

const seedBlock = readFileSync(
  new URL('../../examples/seed-code-server.py', import.meta.url),
  'utf8',
);

describe('parsePythonLiteral', () => {
  it("reads the seed's code-server block unchanged, comments and all", () => {
    const root = parsePythonLiteral(seedBlock);
    expect(root.value).toEqual({
      'code-server': {
        image_prefix: 'registry.swiftor.io/linuxserver/',
        image_name: 'code-server',
        image_tag: 'latest',
        default_env: {
          SUDO_PASSWORD: '${SWIFTOR_PASSWORD}',
          DEFAULT_WORKSPACE: '/config/workspace',
        },
        volumes: {
          workspace_data: { host_path: 'code-server_projects', container_path: '/projects' },
          another_config: {
            host_path: 'my_global_configs/coder_settings',
            container_path: '/etc/global_coder_settings',
          },
        },
        networking: { entrypoint_port: 8443 },
      },
    });
    const entry = root.children?.get('code-server');
    expect(entry?.key).toMatchObject({ line: 2, col: 1 });
    expect(entry?.node.ctor).toBe('ImageConfig');
    expect(entry?.node.children?.get('networking')?.node.ctor).toBe('NetworkingConfig');
  });

  it('understands literals, enums, tuples, string concatenation, escapes and wrappers', () => {
    const source = `from swiftor.images import ImageConfig, SecurityProfile
import typing

CATALOG: typing.Dict[str, ImageConfig] = {
    "a": ImageConfig(
        image_name='a',
        image_tag=None,
        is_webtop=True,
        security_profile=SecurityProfile.FULL,
        default_env={"X": "line\\n" 'two', "Y": r"C:\\path", "Z": """triple"""},
        traefik=TraefikConfig(custom_labels=("a=1", "b=2",), enable=False),
        networking=NetworkingConfig(entrypoint_port=3_000, additional_routes={"manage": 8081,},),
    ),
}
`;
    expect(parsePythonLiteral(source).value).toEqual({
      a: {
        image_name: 'a',
        image_tag: null,
        is_webtop: true,
        security_profile: 'FULL',
        default_env: { X: 'line\ntwo', Y: 'C:\\path', Z: 'triple' },
        traefik: { custom_labels: ['a=1', 'b=2'], enable: false },
        networking: { entrypoint_port: 3000, additional_routes: { manage: 8081 } },
      },
    });
  });

  it('reads a bare ImageConfig(...)', () => {
    const root = parsePythonLiteral('ImageConfig(image_name="firefox")\n');
    expect(root.ctor).toBe('ImageConfig');
    expect(root.value).toEqual({ image_name: 'firefox' });
  });

  it.each([
    [
      '"a": ImageConfig(image_name=__import__("os").system("id"))',
      /"__import__" is not understood here/,
      1,
      29,
    ],
    ['"a": ImageConfig(image_name=open("/etc/passwd").read())', /"open" is not understood/, 1, 29],
    ['"a": ImageConfig("code-server")', /keyword arguments only/, 1, 18],
    ['"a": ImageConfig(image_name="x", image_name="y")', /image_name is given twice/, 1, 34],
    [
      '"a": ImageConfig(\n  image_name="x"\n  image_tag="y")',
      /expected "," or "\)" but found "image_tag"/,
      3,
      3,
    ],
    ['"a": ImageConfig(image_name="x)', /unterminated string; close the quote/, 1, 29],
    ['"a": ImageConfig(image_name=x + 1)', /unexpected character "\+"/, 1, 31],
    ['"a": ImageConfig(default_env={X: "1"})', /dict keys must be strings/, 1, 31],
    [
      '"a": ImageConfig(image_name="x"',
      /expected "," or "\)" but found the end of the file/,
      1,
      32,
    ],
    ['print("hi")', /expected "name": ImageConfig/, 1, 1],
  ])('refuses %j with a position', (source, message, line, col) => {
    try {
      parsePythonLiteral(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SourceSyntaxError);
      expect((error as Error).message).toMatch(message);
      expect((error as SourceSyntaxError).position).toEqual({ line, col });
    }
  });
});
