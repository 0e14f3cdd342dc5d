/** Parses a Docker-style size: a byte count or a number with a unit, e.g. `512m`, `1g`, `1.5GiB`. */
export function parseByteSize(input: string | number): number | undefined {
  if (typeof input === 'number')
    return Number.isSafeInteger(input) && input > 0 ? input : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(input.trim());
  if (!match?.[1]) return undefined;
  const power = ['', 'k', 'm', 'g', 't'].indexOf((match[2] ?? '').toLowerCase());
  const bytes = Math.round(Number(match[1]) * 1024 ** power);
  return bytes > 0 ? bytes : undefined;
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
