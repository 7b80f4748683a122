import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonStreamSplitter, parseDocuments } from './json-stream.ts';

/** Feeds text through a splitter in pieces of `size` bytes and returns every parsed value. */
function split(text: string, size: number): unknown[] {
  const bytes = Buffer.from(text);
  const s = new JsonStreamSplitter();
  const out: unknown[] = [];
  for (let i = 0; i < bytes.length; i += size) for (const d of s.push(bytes.subarray(i, i + size))) out.push(...parseDocuments(d));
  return out;
}

const events = [
  { type: 'ADDED', object: { metadata: { name: 'a', annotations: { note: 'braces } { and "quotes" and \\ and\nnewline' } } } },
  { type: 'MODIFIED', object: { metadata: { name: 'ü-ñ-日本' }, data: { x: '' } } },
  { type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } },
];

test('one object per line, cut anywhere, even inside a multi-byte character', () => {
  const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
  for (const size of [1, 2, 3, 7, 64, text.length]) assert.deepEqual(split(text, size), events, `pieces of ${size} bytes`);
});

test('an object is not given out before its line ends', () => {
  const s = new JsonStreamSplitter();
  assert.deepEqual(s.push(Buffer.from('{"a":1}')), []);
  assert.deepEqual(s.push(Buffer.from('\r\n\n{"b":')), ['{"a":1}']);
  assert.deepEqual(s.push(Buffer.from('2}\n')), ['{"b":2}']);
});

test('pretty-printed objects and objects without newlines between them are found too', () => {
  const pretty = events.map((e) => JSON.stringify(e, null, 2)).join('\n');
  for (const size of [1, 5, pretty.length]) assert.deepEqual(split(pretty, size), events, `pretty, pieces of ${size}`);
  const glued = events.map((e) => JSON.stringify(e)).join('') + '\n';
  for (const size of [1, 5, glued.length]) assert.deepEqual(split(glued, size), events, `glued, pieces of ${size}`);
});

test('a broken document is an error, not a silent loss', () => {
  assert.throws(() => parseDocuments('{"a":1,}'), SyntaxError);
});
