/** `swiftor validate FILE...`: exit 0 when every entry is valid, else one line per problem. */
import { formatProblem, loadCatalogFile } from '../../catalog/load-catalog-file.js';
import { type CliIo, UsageError } from '../cli-io.js';

export const validateHelp = `Usage: swiftor validate FILE...

Checks catalog files (YAML, JSON or the seed's Python ImageConfig format).
Prints one line per problem on stderr as FILE:LINE:COL ENTRY.field: message
and exits 1 if there is any; exits 0 when every entry is valid.`;

export async function runValidate(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0) throw new UsageError('validate needs at least one FILE');
  let failed = false;
  for (const file of args) {
    const { entries, problems } = await loadCatalogFile(file);
    for (const problem of problems) io.err(formatProblem(problem));
    if (problems.length > 0) failed = true;
    else
      io.out(
        `${file}: ${entries.length} valid ${entries.length === 1 ? 'entry' : 'entries'} (${entries.map((e) => e.name).join(', ')})`,
      );
  }
  return failed ? 1 : 0;
}
