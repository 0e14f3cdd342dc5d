import { describe, expect, it } from 'vitest';
import { formatProblem, parseCatalogSource } from './load-catalog-file.js';

const lines = (text: string, file: string) =>
  parseCatalogSource(text, file).problems.map(formatProblem);

describe('parseCatalogSource', () => {
  it('reads a YAML mapping of entries with seed defaults applied', () => {
    const { entries, problems } = parseCatalogSource(
      'code-server:\n  image_name: code-server\nfirefox:\n  image_name: firefox\n',
      'c.yaml',
    );
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.name, e.line, e.config.networking.entrypoint_port])).toEqual([
      ['code-server', 2, 3000],
      ['firefox', 4, 3000],
    ]);
  });

  it('reads a bare ImageConfig named after its file, in JSON', () => {
    const { entries } = parseCatalogSource(
      '{"image_name": "firefox", "is_webtop": false}',
      '/catalog/firefox.json',
    );
    expect(entries.map((e) => e.name)).toEqual(['firefox']);
  });

  it('points every problem at FILE:LINE:COL ENTRY.field', () => {
    const yaml = [
      'code-server:',
      '  image_name: code-server',
      '  networking:',
      '    entrypoint_port: 99999',
      '    addtional_routes: {}',
      '  security_profile: MAXIMUM',
      '  volumes:',
      '    data:',
      '      host_path: data',
      '      container_path: relative',
    ].join('\n');
    expect(lines(yaml, 'cat.yaml').sort()).toEqual([
      'cat.yaml:10:23 code-server.volumes.data.container_path: must be an absolute path inside the container, e.g. "/data"',
      'cat.yaml:4:22 code-server.networking.entrypoint_port: must be from 1 to 65535',
      'cat.yaml:5:5 code-server.networking.addtional_routes: unknown field "addtional_routes"; check the spelling against the ImageConfig schema (swiftor schema)',
      'cat.yaml:6:21 code-server.security_profile: must be one of NONE, BASIC, ADVANCED, FULL',
    ]);
  });

  it('reports Python positions and a wrong constructor', () => {
    const py =
      '"vpn": ImageConfig(\n    image_name="vpn",\n    traefik=NetworkingConfig(entrypoint_port=1),\n    security_profile=SecurityProfile.TOTAL,\n)\n';
    expect(lines(py, 'vpn.py')).toEqual([
      'vpn.py:3:13 vpn.traefik: expected TraefikConfig(...), found NetworkingConfig(...)',
      'vpn.py:3:30 vpn.traefik.entrypoint_port: unknown field "entrypoint_port"; check the spelling against the ImageConfig schema (swiftor schema)',
      'vpn.py:4:22 vpn.security_profile: must be one of NONE, BASIC, ADVANCED, FULL',
    ]);
  });

  it('reports syntax errors and bad shapes', () => {
    expect(lines('a: [1, 2\n', 'x.yaml')[0]).toMatch(/^x\.yaml:\d+:\d+ \(file\): /);
    expect(lines('- 1\n- 2\n', 'x.yaml')).toEqual([
      'x.yaml:1:1 (file): expected a mapping of entry name -> ImageConfig, or one ImageConfig',
    ]);
    expect(lines('{}', 'x.json')).toEqual(['x.json:1:1 (file): the file holds no catalog entries']);
    expect(lines('Bad_Name:\n  image_name: x\n', 'x.yaml')[0]).toMatch(
      /^x\.yaml:2:3 Bad_Name: an entry name is/,
    );
    expect(lines('a:\n  image_name: x\na:\n  image_name: y\n', 'x.yaml')[0]).toMatch(
      /^x\.yaml:3:1 \(file\): Map keys must be unique/,
    );
  });
});
