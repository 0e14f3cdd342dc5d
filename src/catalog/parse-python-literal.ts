/**
 * Reads the seed's own submission format — a Python code block such as
 *
 *     "code-server": ImageConfig(image_name="code-server", volumes={...}, ...),
 *
 * — with a small literal parser. Nothing is executed: only string/number/bool/None literals,
 * dicts, lists, tuples, keyword calls of the known config classes and `SecurityProfile.X`
 * are understood. `from`/`import` lines are skipped; `NAME = {...}` and `NAME: T = {...}`
 * wrappers are accepted, as is a bare `ImageConfig(...)`.
 */
import type { Located, Position } from './located-value.js';
import { SourceSyntaxError } from './parse-yaml.js';

const CONSTRUCTORS = new Set([
  'ImageConfig',
  'VolumeBinding',
  'NetworkingConfig',
  'TraefikConfig',
  'dict',
]);
const ENUMS = new Set(['SecurityProfile']);

type TokenType = 'string' | 'number' | 'name' | 'op' | 'newline' | 'end';
interface Token extends Position {
  type: TokenType;
  value: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  const pos = (): Position => ({ line, col: i - lineStart + 1 });
  const fail = (message: string): never => {
    throw new SourceSyntaxError(message, pos());
  };
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === '\n') {
      if (depth === 0) tokens.push({ type: 'newline', value: '\n', ...pos() });
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\\') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source.charAt(i) !== '\n') i++;
      continue;
    }
    const start = pos();
    const stringMatch = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(source.slice(i, i + 5));
    if (stringMatch && (stringMatch[1] === '' || /^[rRuU]+$/.test(stringMatch[1] ?? ''))) {
      const raw = /r/i.test(stringMatch[1] ?? '');
      const quote = stringMatch[2] ?? '"';
      i += (stringMatch[1] ?? '').length + quote.length;
      let value = '';
      for (;;) {
        if (i >= source.length)
          throw new SourceSyntaxError('unterminated string; close the quote', start);
        if (source.startsWith(quote, i)) {
          i += quote.length;
          break;
        }
        const ch = source.charAt(i);
        if (ch === '\n') {
          if (quote.length === 1)
            throw new SourceSyntaxError(
              'string ends at the end of the line; close the quote',
              start,
            );
          line++;
          lineStart = i + 1;
        }
        if (ch === '\\' && !raw) {
          const next = source.charAt(i + 1);
          const simple: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            '\\': '\\',
            "'": "'",
            '"': '"',
            '0': '\0',
            '\n': '',
          };
          if (next in simple) {
            value += simple[next];
            i += 2;
          } else if (next === 'x' || next === 'u') {
            const len = next === 'x' ? 2 : 4;
            const hex = source.slice(i + 2, i + 2 + len);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail(`bad \\${next} escape`);
            value += String.fromCharCode(Number.parseInt(hex, 16));
            i += 2 + len;
          } else {
            value += `\\${next}`;
            i += 2;
          }
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ type: 'string', value, ...start });
      continue;
    }
    const number = /^\d[\d_]*(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ type: 'number', value: number[0].replace(/_/g, ''), ...start });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ type: 'name', value: name[0], ...start });
      i += name[0].length;
      continue;
    }
    if ('{}[](),:=.-'.includes(c)) {
      if ('{[('.includes(c)) depth++;
      if ('}])'.includes(c)) depth = Math.max(0, depth - 1);
      tokens.push({ type: 'op', value: c, ...start });
      i++;
      continue;
    }
    fail(`unexpected character "${c}"`);
  }
  tokens.push({ type: 'end', value: '', line, col: i - lineStart + 1 });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }
  private next(): Token {
    const token = this.peek();
    this.pos++;
    return token;
  }
  private fail(message: string, token = this.peek()): never {
    throw new SourceSyntaxError(message, token);
  }
  private expect(value: string): Token {
    const token = this.next();
    if (token.value !== value || token.type === 'string') {
      this.fail(
        `expected "${value}" but found ${token.type === 'end' ? 'the end of the file' : `"${token.value}"`}`,
        token,
      );
    }
    return token;
  }
  /** After an item: a comma, or the closing bracket that ends the list. */
  private expectSeparator(close: string): void {
    const token = this.peek();
    if (token.value === close && token.type === 'op') return;
    if (token.value === ',' && token.type === 'op') {
      this.pos++;
      return;
    }
    const found = token.type === 'end' ? 'the end of the file' : `"${token.value}"`;
    this.fail(`expected "," or "${close}" but found ${found}`, token);
  }

  private skipNewlines(): void {
    while (this.peek().type === 'newline') this.pos++;
  }

  /** The whole file: a mapping of entry name -> config, or one bare config. */
  parseFile(): Located {
    const root: Located = { line: 1, col: 1, value: {}, children: new Map() };
    const value = root.value as Record<string, unknown>;
    let bare: Located | undefined;
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (token.type === 'end') break;
      if (token.type === 'name' && (token.value === 'from' || token.value === 'import')) {
        while (this.peek().type !== 'newline' && this.peek().type !== 'end') this.pos++;
        continue;
      }
      if (token.type === 'string') {
        this.parseEntry(root, value);
        continue;
      }
      if (token.type === 'name' && (this.peek(1).value === '=' || this.peek(1).value === ':')) {
        this.pos++;
        while (this.peek().value !== '=' && this.peek().type !== 'end') this.pos++;
        this.expect('=');
        const dict = this.parseExpression();
        if (!dict.children || Array.isArray(dict.value))
          this.fail('expected a dict of "name": ImageConfig(...) entries', token);
        for (const [k, child] of dict.children) {
          root.children?.set(k, child);
          value[String(k)] = child.node.value;
        }
        continue;
      }
      if (token.type === 'op' && token.value === '{') {
        const dict = this.parseExpression();
        for (const [k, child] of dict.children ?? []) {
          root.children?.set(k, child);
          value[String(k)] = child.node.value;
        }
        continue;
      }
      if (token.type === 'name' && token.value === 'ImageConfig') {
        bare = this.parseExpression();
        if (this.peek().value === ',') this.pos++;
        continue;
      }
      this.fail(`expected "name": ImageConfig(...) but found "${token.value}"`);
    }
    if (bare) {
      if (root.children?.size)
        this.fail('mix of a bare ImageConfig(...) and named entries', bare as Token);
      return bare;
    }
    return root;
  }

  private parseEntry(root: Located, value: Record<string, unknown>): void {
    const keyToken = this.next();
    this.expect(':');
    const node = this.parseExpression();
    root.children?.set(keyToken.value, { key: keyToken, node });
    value[keyToken.value] = node.value;
    if (this.peek().value === ',') this.pos++;
  }

  private parseExpression(): Located {
    const token = this.next();
    const at = { line: token.line, col: token.col };
    switch (token.type) {
      case 'string': {
        let text = token.value;
        while (this.peek().type === 'string') text += this.next().value;
        return { ...at, value: text };
      }
      case 'number':
        return { ...at, value: Number(token.value) };
      case 'op':
        if (token.value === '-' && this.peek().type === 'number')
          return { ...at, value: -Number(this.next().value) };
        if (token.value === '{') return this.parseDict(at);
        if (token.value === '[') return this.parseList(at, ']');
        if (token.value === '(') return this.parseList(at, ')');
        return this.fail(`unexpected "${token.value}"`, token);
      case 'name':
        return this.parseName(token, at);
      default:
        return this.fail('unexpected end of the expression', token);
    }
  }

  private parseName(token: Token, at: Position): Located {
    if (token.value === 'True' || token.value === 'False')
      return { ...at, value: token.value === 'True' };
    if (token.value === 'None') return { ...at, value: null };
    if (ENUMS.has(token.value)) {
      this.expect('.');
      const member = this.next();
      if (member.type !== 'name')
        this.fail(`expected a ${token.value} member such as ${token.value}.BASIC`, member);
      return { ...at, value: member.value };
    }
    if (!CONSTRUCTORS.has(token.value)) {
      this.fail(
        `"${token.value}" is not understood here; use literals, ${[...CONSTRUCTORS].join('/')}(...) or SecurityProfile.X (the file is read, never executed)`,
        token,
      );
    }
    this.expect('(');
    const node: Located = { ...at, value: {}, children: new Map(), ctor: token.value };
    const value = node.value as Record<string, unknown>;
    while (this.peek().value !== ')') {
      const key = this.next();
      if (key.type !== 'name' || this.peek().value !== '=') {
        this.fail(
          `${token.value}(...) takes keyword arguments only, e.g. image_name="code-server"`,
          key,
        );
      }
      this.expect('=');
      if (node.children?.has(key.value)) this.fail(`${key.value} is given twice`, key);
      const child = this.parseExpression();
      node.children?.set(key.value, { key, node: child });
      value[key.value] = child.value;
      this.expectSeparator(')');
    }
    this.expect(')');
    return node;
  }

  private parseDict(at: Position): Located {
    const node: Located = { ...at, value: {}, children: new Map() };
    const value = node.value as Record<string, unknown>;
    while (this.peek().value !== '}') {
      const key = this.next();
      if (key.type !== 'string') this.fail('dict keys must be strings in quotes', key);
      this.expect(':');
      if (node.children?.has(key.value)) this.fail(`key "${key.value}" appears twice`, key);
      const child = this.parseExpression();
      node.children?.set(key.value, { key, node: child });
      value[key.value] = child.value;
      this.expectSeparator('}');
    }
    this.expect('}');
    return node;
  }

  private parseList(at: Position, close: string): Located {
    const node: Located = { ...at, value: [], children: new Map() };
    const value = node.value as unknown[];
    while (this.peek().value !== close) {
      const child = this.parseExpression();
      node.children?.set(value.length, { key: child, node: child });
      value.push(child.value);
      this.expectSeparator(close);
    }
    this.expect(close);
    return node;
  }
}

/** Parses the seed's Python format into a position-aware tree, without executing anything. */
export function parsePythonLiteral(source: string): Located {
  return new Parser(tokenize(source)).parseFile();
}
