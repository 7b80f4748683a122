import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, mappingFor } from './expansion.ts';

const vars = mappingFor(new Map([['A', 'alpha'], ['B', 'beta'], ['EMPTY', '']]), new Map([['A', 'shadowed'], ['SVC', 'svc']]));

const cases: [string, string][] = [
  ['plain', 'plain'],
  ['$(A)', 'alpha'],
  ['x-$(A)-$(B)-y', 'x-alpha-beta-y'],
  ['$(SVC)', 'svc'],
  ['$(EMPTY)!', '!'],
  ['$(MISSING)', '$(MISSING)'],
  ['$$(A)', '$(A)'],
  ['$$$(A)', '$alpha'],
  ['$$', '$'],
  ['cost $5', 'cost $5'],
  ['trailing $', 'trailing $'],
  ['$(A', '$(A'],
  ['$(', '$('],
  ['$()', '$()'],
  ['$(A)$(B)', 'alphabeta'],
  ['é$(A)ü', 'éalphaü'],
];

for (const [input, want] of cases) {
  test(`expands ${JSON.stringify(input)} to ${JSON.stringify(want)}`, () => {
    assert.equal(expand(input, vars), want);
  });
}

test('earlier contexts win over later ones', () => {
  assert.equal(expand('$(A)', vars), 'alpha');
});
