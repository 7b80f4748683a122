import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelSelector, SelectorError, labelSelectorFromObject, validateLabelSelector } from './index.ts';
import { renderFieldError } from '../validation/field-error.ts';

const parseError = (s: string) => {
  try {
    LabelSelector.parse(s);
  } catch (e) {
    assert.ok(e instanceof SelectorError);
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(s)} to fail`);
};

test('parses equality and set-based requirements and prints them sorted by key', () => {
  const s = LabelSelector.parse(' x in (foo,,baz),y,z notin ()  , a==b, !c, d != e');
  assert.equal(s.toString(), 'a==b,!c,d!=e,x in (,baz,foo),y,z notin ()');
});

test('matches labels for each operator', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  const yes = ['app=web', 'app==web', 'app!=db', 'tier in (front,back)', 'tier notin (back)', 'app', '!canary', 'missing!=x', 'n>3', 'n<6', ''];
  const no = ['app=db', 'app!=web', 'tier in (back)', 'tier notin (front)', 'canary', '!app', 'missing=x', 'n>5', 'n<5', 'missing>1'];
  for (const s of yes) assert.equal(LabelSelector.parse(s).matches(labels), true, s);
  for (const s of no) assert.equal(LabelSelector.parse(s).matches(labels), false, s);
});

test('treats in and notin as values inside parentheses', () => {
  const s = LabelSelector.parse('x in (in,notin)');
  assert.deepEqual(s.requirements[0]!.values, ['in', 'notin']);
});

test('an empty value after = means the empty string', () => {
  const s = LabelSelector.parse('a=,b==');
  assert.equal(s.matches({ a: '', b: '' }), true);
  assert.equal(s.matches({ a: 'x', b: '' }), false);
});

test('reports upstream parse errors', () => {
  assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(parseError('x=a,'), "found '', expected: identifier after ','");
  assert.equal(parseError('x=a b'), "found 'b', expected: ',' or 'end of string'");
  assert.equal(parseError('=a'), "found '=', expected: !, identifier, or 'end of string'");
  assert.equal(parseError('x in a'), "unable to parse requirement: found 'a' expected: '('");
  assert.equal(parseError('x in (a b)'), "unable to parse requirement: found 'b', expected: ',' or ')'");
  assert.equal(parseError('x in (a'), "unable to parse requirement: found '', expected: ',' or ')'");
  assert.equal(parseError('x=(a)'), "unable to parse requirement: found '(', expected: identifier");
  assert.equal(parseError('x ~ y'), "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(parseError('x>a'), `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`);
});

test('reports invalid keys at a nil path and invalid values under values[i][key]', () => {
  assert.equal(
    parseError('a_=b'),
    `unable to parse requirement: <nil>: Invalid value: "a_": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  );
  assert.equal(
    parseError('a=b_'),
    "unable to parse requirement: values[0][a]: Invalid value: \"b_\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  );
});

test('lexes the longest special-symbol token', () => {
  assert.equal(LabelSelector.parse('a!=b').requirements[0]!.operator, '!=');
  assert.equal(parseError('a=!b'), "unable to parse requirement: found '!', expected: identifier");
});

test('converts LabelSelector objects: null selects nothing, empty selects everything', () => {
  assert.equal(labelSelectorFromObject(null).matches({}), false);
  assert.equal(labelSelectorFromObject({}).matches({ any: 'x' }), true);
  const s = labelSelectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }],
  });
  assert.equal(s.toString(), 'app=web,!canary,tier in (a,b)');
  assert.equal(s.matches({ app: 'web', tier: 'b' }), true);
  assert.equal(s.matches({ app: 'web', tier: 'b', canary: '' }), false);
});

test('rejects unknown operators and empty In values in LabelSelector objects', () => {
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), {
    message: '"Gt" is not a valid label selector operator',
  });
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
    message: `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`,
  });
});

test('validates LabelSelector objects with upstream paths and messages', () => {
  const errs = validateLabelSelector(
    { matchLabels: { 'a b': 'x' }, matchExpressions: [{ key: 'k', operator: 'In' }, { key: 'k', operator: 'Exists', values: ['v'] }, { key: 'k', operator: 'Bad' }] },
    {},
    'spec.selector',
  ).map(renderFieldError);
  assert.equal(errs.length, 4);
  assert.match(errs[0]!, /^spec\.selector\.matchLabels: Invalid value: "a b": name part must consist of/);
  assert.equal(errs[1], "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  assert.equal(errs[2], "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  assert.equal(errs[3], 'spec.selector.matchExpressions[2].operator: Invalid value: "Bad": not a valid selector operator');
});

test('requiresExactMatch reports a pinned value only for single-valued equality', () => {
  const s = LabelSelector.parse('a=1,b in (2),c in (3,4),d!=5');
  assert.equal(s.requiresExactMatch('a'), '1');
  assert.equal(s.requiresExactMatch('b'), '2');
  assert.equal(s.requiresExactMatch('c'), undefined);
  assert.equal(s.requiresExactMatch('d'), undefined);
});
