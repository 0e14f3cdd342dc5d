/**
 * A small parser for Traefik v3 rule expressions (`Host(`a`) && (Path(`/x`) || !Method(`GET`))`)
 * used to prove that a router only matches a VM's own hostnames. Proving it on the parsed
 * expression, rather than by searching the string, is what makes `Host(a) || PathPrefix(/)`
 * (which matches every host) fail.
 */

export type RuleExpr =
  | { kind: 'matcher'; name: string; args: string[] }
  | { kind: 'not'; expr: RuleExpr }
  | { kind: 'and' | 'or'; left: RuleExpr; right: RuleExpr };

type Token = { type: 'ident' | 'string' | 'op'; value: string };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (rule.startsWith('&&', i) || rule.startsWith('||', i)) {
      tokens.push({ type: 'op', value: rule.slice(i, i + 2) });
      i += 2;
    } else if ('!(),'.includes(c)) {
      tokens.push({ type: 'op', value: c });
      i++;
    } else if (c === '`' || c === '"') {
      const end = rule.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated string starting at column ${i + 1}`);
      tokens.push({ type: 'string', value: rule.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      const ident = /^[A-Za-z][A-Za-z0-9]*/.exec(rule.slice(i))?.[0] ?? c;
      tokens.push({ type: 'ident', value: ident });
      i += ident.length;
    } else {
      throw new Error(`unexpected "${c}" at column ${i + 1}`);
    }
  }
  return tokens;
}

/** Parses a rule; throws an Error whose message says where it went wrong. */
export function parseRule(rule: string): RuleExpr {
  const tokens = tokenize(rule);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (value: string) => {
    const token = tokens[pos++];
    if (token?.value !== value) throw new Error(`expected "${value}"`);
  };
  const parseOr = (): RuleExpr => {
    let left = parseAnd();
    while (peek()?.value === '||') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): RuleExpr => {
    let left = parseUnary();
    while (peek()?.value === '&&') {
      pos++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): RuleExpr => {
    const token = tokens[pos++];
    if (token?.value === '!') return { kind: 'not', expr: parseUnary() };
    if (token?.type === 'op' && token.value === '(') {
      const inner = parseOr();
      expect(')');
      return inner;
    }
    if (token?.type !== 'ident') throw new Error('expected a matcher such as Host(`...`)');
    expect('(');
    const args: string[] = [];
    while (peek()?.type === 'string') {
      args.push(tokens[pos++]?.value ?? '');
      if (peek()?.value === ',') pos++;
    }
    expect(')');
    return { kind: 'matcher', name: token.value, args };
  };
  const expr = parseOr();
  if (pos !== tokens.length) throw new Error('unexpected text after the end of the rule');
  return expr;
}

/**
 * Whether every request the rule matches carries one of `allowedHosts`. Throws when the
 * rule names a host that is not allowed or uses a host matcher that cannot be checked.
 */
export function isConfinedToHosts(expr: RuleExpr, allowedHosts: ReadonlySet<string>): boolean {
  switch (expr.kind) {
    case 'matcher': {
      const name = expr.name.toLowerCase();
      if (name === 'hostregexp' || name === 'hostsniregexp') {
        throw new Error(
          `${expr.name} is not allowed; use Host(\`...\`) with the VM's own hostname`,
        );
      }
      if (name !== 'host' && name !== 'hostsni') return false;
      const foreign = expr.args.filter((host) => !allowedHosts.has(host.toLowerCase()));
      if (foreign.length > 0 || expr.args.length === 0) {
        throw new Error(
          `host ${foreign.join(', ') || '(none)'} is not this VM's; allowed: ${[...allowedHosts].join(', ')}`,
        );
      }
      return true;
    }
    case 'not':
      // A negated host matcher still has to name only the VM's hosts, but never confines.
      isConfinedToHosts(expr.expr, allowedHosts);
      return false;
    case 'and': {
      const left = isConfinedToHosts(expr.left, allowedHosts);
      const right = isConfinedToHosts(expr.right, allowedHosts);
      return left || right;
    }
    case 'or': {
      const left = isConfinedToHosts(expr.left, allowedHosts);
      const right = isConfinedToHosts(expr.right, allowedHosts);
      return left && right;
    }
  }
}
