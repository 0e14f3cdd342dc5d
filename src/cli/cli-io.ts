/** What a CLI command may touch, so commands run the same in tests and in a terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Aborted on Ctrl-C; long-running commands (try) clean up and return. */
  interrupt?: AbortSignal;
}

/** The interrupt signal for a command: the io's, or one tied to SIGINT/SIGTERM of this process. */
export function interruptSignal(io: CliIo): AbortSignal {
  if (io.interrupt) return io.interrupt;
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return controller.signal;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A usage mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}
