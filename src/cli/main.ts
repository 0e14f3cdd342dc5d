/** The `swiftor` command: contributor tools (validate, render, schema, try). */
import { DomainError, ValidationError } from '../domain/errors.js';
import { type CliIo, processIo, UsageError } from './cli-io.js';
import { initHelp, runInit } from './commands/init.js';
import { renderHelp, runRender } from './commands/render.js';
import { runSchema, schemaHelp } from './commands/schema.js';
import { runTry, tryHelp } from './commands/try.js';
import { runValidate, validateHelp } from './commands/validate.js';
import { InvalidCatalogError } from './select-entry.js';

interface Command {
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'check catalog files; FILE:LINE:COL errors',
    help: validateHelp,
    run: runValidate,
  },
  render: {
    summary: 'print the Swarm ServiceSpec for one entry',
    help: renderHelp,
    run: runRender,
  },
  schema: { summary: 'print the JSON Schema of ImageConfig', help: schemaHelp, run: runSchema },
  try: {
    summary: 'deploy one entry to the local engine and follow it',
    help: tryHelp,
    run: runTry,
  },
  init: {
    summary: 'set up Traefik and the control plane on a Swarm',
    help: initHelp,
    run: runInit,
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return `Usage: swiftor <command> [options]

Swiftor: browser-accessible VMs, one Docker Swarm service each.

Commands:
${lines.join('\n')}

Run "swiftor <command> --help" for a command's options.`;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failed, 2 usage error. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`swiftor: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(name, error, io);
  }
}

function reportError(name: string, error: unknown, io: CliIo): number {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    io.err(`swiftor ${name}: ${(error as Error).message}\nRun "swiftor ${name} --help" for usage.`);
    return 2;
  }
  if (error instanceof InvalidCatalogError) {
    for (const line of error.lines) io.err(line);
    return 1;
  }
  if (error instanceof ValidationError) {
    io.err(`swiftor ${name}: ${error.message}`);
    for (const v of error.validations) io.err(`  ${v.field}: ${v.detail}`);
    return 1;
  }
  if (error instanceof DomainError) {
    io.err(`swiftor ${name}: ${error.message}`);
    return 1;
  }
  // Anything else is a bug or an environment problem: say what failed, keep the stack for debugging.
  io.err(`swiftor ${name}: unexpected error: ${(error as Error).message ?? String(error)}`);
  if (process.env.SWIFTOR_DEBUG) io.err((error as Error).stack ?? '');
  return 1;
}
