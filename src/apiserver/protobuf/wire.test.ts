import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './wire-writer.ts';
import { ProtoReader, ProtoDecodeError } from './wire-reader.ts';

test('writes the minimal OpenAPI v2 document as the five known bytes', () => {
  assert.equal(Buffer.from(new ProtoWriter().stringField(1, '2.0').finish()).toString('hex'), '0a03322e30');
});

test('writes varints of every size, including negatives as ten bytes', () => {
  const w = new ProtoWriter().varint(0).varint(127).varint(128).varint(300).varint(2 ** 40).varint(-1);
  const r = new ProtoReader(w.finish());
  assert.equal(r.varint(), 0);
  assert.equal(r.varint(), 127);
  assert.equal(r.varint(), 128);
  assert.equal(r.varint(), 300);
  assert.equal(r.varint(), 2 ** 40);
  const before = r.pos;
  assert.equal(r.int64(), -1);
  assert.equal(r.pos - before, 10);
  assert.ok(r.eof());
});

test('nests messages larger than a block without corrupting lengths', () => {
  const big = 'x'.repeat(10_000);
  const inner = new ProtoWriter().stringField(1, big).varintField(2, 5);
  const outer = new ProtoWriter().varintField(1, 1).messageField(2, inner).stringField(3, 'tail');
  const r = new ProtoReader(outer.finish());
  assert.deepEqual(r.tag(), { field: 1, wireType: WIRE_VARINT });
  assert.equal(r.varint(), 1);
  assert.deepEqual(r.tag(), { field: 2, wireType: WIRE_LENGTH_DELIMITED });
  const m = new ProtoReader(r.bytesView());
  m.tag();
  assert.equal(m.string(), big);
  m.tag();
  assert.equal(m.varint(), 5);
  assert.ok(m.eof());
  r.tag();
  assert.equal(r.string(), 'tail');
});

test('reports a length that runs past the end', () => {
  const r = new ProtoReader(Uint8Array.of(0x0a, 0x05, 0x61));
  r.tag();
  assert.throws(() => r.bytesView(), ProtoDecodeError);
});
