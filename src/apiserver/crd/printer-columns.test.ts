import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerColumnsFor } from './printer-columns.ts';

const now = new Date('2024-01-01T01:00:00Z');
const obj = { metadata: { name: 'c', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { cronSpec: '*/5 * * * *', replicas: 2.7, on: true, when: 'bad-date', data: { a: 1 } } };

test('without columns a version shows NAME and AGE', () => {
  const cols = printerColumnsFor(undefined);
  assert.deepEqual(cols.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
  assert.deepEqual(cols.map((c) => c.cell(obj, now)), ['c', '60m']);
});

test('columns evaluate their JSONPath and convert cells by type', () => {
  const cols = printerColumnsFor([
    { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1, description: 'how many' },
    { name: 'On', type: 'boolean', jsonPath: '.spec.on' },
    { name: 'When', type: 'date', jsonPath: '.spec.when' },
    { name: 'Data', type: 'string', jsonPath: '.spec.data' },
    { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
    { name: 'Wrong', type: 'integer', jsonPath: '.spec.cronSpec' },
  ]);
  assert.deepEqual(cols.map((c) => c.cell(obj, now)), ['c', '*/5 * * * *', 2, true, '<invalid>', '{"a":1}', null, null]);
  assert.equal(cols[2]!.priority, 1);
  assert.equal(cols[2]!.description, 'how many');
  assert.equal(cols[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.cronSpec');
});
