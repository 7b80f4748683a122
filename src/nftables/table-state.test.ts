import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffScript, emptyTableState, type TableState } from './table-state.ts';

const state = (over: Partial<TableState>): TableState => ({ ...emptyTableState(['m']), ...over });

test('sets come before the rules using them and go after; kept sets change by elements', () => {
  const a = state({ sets: new Map([['peers', { declaration: 'type ipv4_addr ;', elements: new Set(['10.0.0.1', '10.0.0.2']) }]]), chains: new Map([['c', ['ip saddr @peers accept']]]) });
  assert.deepEqual(diffScript('t', emptyTableState(['m']), a).trim().split('\n'), [
    'add set ip t peers { type ipv4_addr ; }',
    'add element ip t peers { 10.0.0.1 , 10.0.0.2 }',
    'add chain ip t c',
    'add rule ip t c ip saddr @peers accept',
  ]);
  const b = state({ sets: new Map([['peers', { declaration: 'type ipv4_addr ;', elements: new Set(['10.0.0.2', '10.0.0.3']) }]]), chains: a.chains });
  assert.equal(diffScript('t', a, b), 'delete element ip t peers { 10.0.0.1 }\nadd element ip t peers { 10.0.0.3 }\n');
  assert.deepEqual(diffScript('t', b, emptyTableState(['m'])).trim().split('\n'), ['flush chain ip t c', 'delete chain ip t c', 'delete set ip t peers']);
});

test('sets the kernel fills (no elements kept here) are created once and never touched', () => {
  const dyn = state({ sets: new Map([['aff', { declaration: 'type ipv4_addr ; flags dynamic,timeout ; timeout 10s ;' }]]) });
  assert.equal(diffScript('t', emptyTableState(['m']), dyn), 'add set ip t aff { type ipv4_addr ; flags dynamic,timeout ; timeout 10s ; }\n');
  assert.equal(diffScript('t', dyn, state({ sets: new Map([['aff', { declaration: 'type ipv4_addr ; flags dynamic,timeout ; timeout 10s ;' }]]) })), '');
});

test('map elements whose verdict changed are replaced', () => {
  const a = state({ maps: new Map([['m', new Map([['1.2.3.4', 'goto x'], ['1.2.3.5', 'drop']])]]) });
  const b = state({ maps: new Map([['m', new Map([['1.2.3.4', 'goto y'], ['1.2.3.5', 'drop']])]]) });
  assert.equal(diffScript('t', a, b), 'delete element ip t m { 1.2.3.4 }\nadd element ip t m { 1.2.3.4 : goto y }\n');
});
