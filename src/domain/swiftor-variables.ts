/**
 * The seed's placeholder variables: `${SWIFTOR_USERNAME}`, `${SWIFTOR_PASSWORD}` and
 * `${SWIFTOR_VMID}`. Rules (architecture.md): an unknown `${SWIFTOR_…}` name is an error (typo
 * guard), any other `${…}` is left untouched, and `$${` is a literal `${`.
 */

export const SWIFTOR_VARIABLES = ['SWIFTOR_USERNAME', 'SWIFTOR_PASSWORD', 'SWIFTOR_VMID'] as const;
export type SwiftorVariable = (typeof SWIFTOR_VARIABLES)[number];

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: SwiftorVariable }
  | { kind: 'unknown'; name: string };

const REFERENCE = /\$\$\{|\$\{(SWIFTOR_[A-Za-z0-9_]*)\}/g;

function isSwiftorVariable(name: string): name is SwiftorVariable {
  return (SWIFTOR_VARIABLES as readonly string[]).includes(name);
}

/** Splits a string into literal text and variable references. */
export function parseTemplate(input: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let last = 0;
  for (const match of input.matchAll(REFERENCE)) {
    text += input.slice(last, match.index);
    last = match.index + match[0].length;
    const name = match[1];
    if (name === undefined) {
      text += '${';
      continue;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push(isSwiftorVariable(name) ? { kind: 'variable', name } : { kind: 'unknown', name });
  }
  text += input.slice(last);
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** Names of the variables a string refers to, known or not. */
export function referencedVariables(input: string): string[] {
  return parseTemplate(input).flatMap((part) => (part.kind === 'text' ? [] : [part.name]));
}

/**
 * Problems with the variable references in one string, or an empty list.
 * `allowPassword` is false for labels and paths, where the password must never appear.
 */
export function checkVariables(input: string, allowPassword: boolean): string[] {
  const problems: string[] = [];
  for (const part of parseTemplate(input)) {
    if (part.kind === 'unknown') {
      problems.push(
        `unknown variable \${${part.name}}; use one of ${SWIFTOR_VARIABLES.map((v) => `\${${v}}`).join(', ')} (write $\${ for a literal \${)`,
      );
    } else if (part.kind === 'variable' && part.name === 'SWIFTOR_PASSWORD' && !allowPassword) {
      problems.push(
        '${SWIFTOR_PASSWORD} is not allowed here: the VM password may only appear in environment variables',
      );
    }
  }
  return problems;
}

/** Substitutes known variables; `values` must hold every variable the string uses. */
export function resolveTemplate(
  input: string,
  values: Partial<Record<SwiftorVariable, string>>,
): string {
  return parseTemplate(input)
    .map((part) => {
      if (part.kind === 'text') return part.text;
      if (part.kind === 'unknown') throw new Error(`unknown variable \${${part.name}}`);
      const value = values[part.name];
      if (value === undefined) throw new Error(`\${${part.name}} cannot be used here`);
      return value;
    })
    .join('');
}
