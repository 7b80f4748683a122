// Label selectors in their string form (`app=web,tier in (a,b),!canary`): parsed into sorted
// requirements with upstream's error messages, matched against labels, printed back.
import {
  SelectorError, compareStrings, keyPath, labelKeyError, newRequirement, requirementMatches, requirementString,
  type LabelOperator, type LabelRequirement, type Labels,
} from './label-requirement.ts';
import { renderFieldError } from '../validation/field-error.ts';

type Token = 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'identifier';

const KEYWORDS: Record<string, Token> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c) && c !== '';

interface Item { tok: Token; lit: string }

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      // Longest run of special symbols that still forms a known token.
      let buffer = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buffer += s[pos];
        pos++;
        const tok = KEYWORDS[buffer];
        if (tok) last = { tok, lit: buffer };
        else if (last) { pos--; break; }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = '';
      while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buffer += s[pos++];
      items.push({ tok: KEYWORDS[buffer] ?? 'identifier', lit: buffer });
    }
  }
}

const BINARY_OPERATORS_TEXT = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  readonly items: Item[];
  position = 0;
  readonly path: string | undefined;
  constructor(s: string, path: string | undefined) {
    this.items = lex(s);
    this.path = path;
  }
  /** In value context the keywords `in` and `notin` are plain identifiers. */
  lookahead(values: boolean): Item {
    return this.asContext(this.items[this.position]!, values);
  }
  consume(values: boolean): Item {
    return this.asContext(this.items[this.position++]!, values);
  }
  private asContext(item: Item, values: boolean): Item {
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'identifier', lit: item.lit } : item;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'identifier' || tok === '!') {
        let r: LabelRequirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        reqs.push(r);
        const next = this.consume(true);
        if (next.tok === 'end') return reqs;
        if (next.tok === ',') {
          const after = this.lookahead(true);
          if (after.tok !== 'identifier' && after.tok !== '!') throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
        } else {
          throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
        }
      } else if (tok === 'end') {
        return reqs;
      } else {
        throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  parseRequirement(): LabelRequirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, [], this.path);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(compareStrings), this.path);
  }

  parseKeyAndInferOperator(): { key: string; operator: LabelOperator | undefined } {
    let operator: LabelOperator | undefined;
    let item = this.consume(true);
    if (item.tok === '!') {
      operator = '!';
      item = this.consume(true);
    }
    if (item.tok !== 'identifier') throw new SelectorError(`found '${item.lit}', expected: identifier`);
    const err = labelKeyError(item.lit, keyPath(this.path));
    if (err) throw new SelectorError(renderFieldError(err));
    const next = this.lookahead(true).tok;
    if ((next === 'end' || next === ',') && operator !== '!') operator = 'exists';
    return { key: item.lit, operator };
  }

  parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in': return 'in';
      case '=': return '=';
      case '==': return '==';
      case '>': return 'gt';
      case '<': return 'lt';
      case 'notin': return 'notin';
      case '!=': return '!=';
      default: throw new SelectorError(`found '${lit}', expected: ${BINARY_OPERATORS_TEXT}`);
    }
  }

  parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== '(') throw new SelectorError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === 'identifier' || tok === ',') {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== ')') throw new SelectorError(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === ')') {
      this.consume(true);
      return new Set(['']);
    }
    throw new SelectorError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'identifier') {
        s.add(lit);
        const next = this.lookahead(true);
        if (next.tok === ',') continue;
        if (next.tok === ')') return s;
        throw new SelectorError(`found '${next.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (s.size === 0) s.add('');
        const next = this.lookahead(true).tok;
        if (next === ')') {
          s.add('');
          return s;
        }
        if (next === ',') {
          this.consume(true);
          s.add('');
        }
      } else {
        throw new SelectorError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  parseExactValue(): Set<string> {
    const ahead = this.lookahead(true).tok;
    if (ahead === 'end' || ahead === ',') return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === 'identifier') return new Set([lit]);
    throw new SelectorError(`found '${lit}', expected: identifier`);
  }
}

const byKey = (a: LabelRequirement, b: LabelRequirement) => compareStrings(a.key, b.key);

/** A set of requirements that must all hold; empty matches everything. */
export class LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** The selector that matches nothing (a nil LabelSelector object upstream). */
  static readonly nothing: LabelSelector = new LabelSelector([], true);
  readonly #matchesNothing: boolean;

  constructor(requirements: readonly LabelRequirement[], matchesNothing = false) {
    this.requirements = [...requirements].sort(byKey);
    this.#matchesNothing = matchesNothing;
  }

  static everything(): LabelSelector {
    return new LabelSelector([]);
  }

  /** Parses the string form; throws SelectorError with upstream's message on bad input. */
  static parse(selector: string, path?: string): LabelSelector {
    return new LabelSelector(new Parser(selector, path).parse());
  }

  /** Equality requirements from a label map (keys and values are not validated, like upstream). */
  static fromSet(labels: Labels): LabelSelector {
    return new LabelSelector(Object.entries(labels).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
  }

  matches(labels: Labels | undefined | null): boolean {
    if (this.#matchesNothing) return false;
    const l = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, l));
  }

  isEmpty(): boolean {
    return !this.#matchesNothing && this.requirements.length === 0;
  }

  matchesNothing(): boolean {
    return this.#matchesNothing;
  }

  /** The value a key must equal for this selector to match, when it pins one (useful for indexes). */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** Parses into the sorted requirements, as upstream's ParseToRequirements. */
export function parseLabelSelector(selector: string): LabelSelector {
  return LabelSelector.parse(selector);
}
