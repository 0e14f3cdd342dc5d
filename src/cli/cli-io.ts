/** What a CLI command may touch, so commands run the same in tests and in a terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A usage mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}
