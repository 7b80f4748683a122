import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chainIDs, sha256Of } from './digest.ts';

test('chain IDs follow the OCI definition', () => {
  const d = ['sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64), 'sha256:' + 'c'.repeat(64)];
  const c1 = 'sha256:' + createHash('sha256').update(`${d[0]} ${d[1]}`).digest('hex');
  const c2 = 'sha256:' + createHash('sha256').update(`${c1} ${d[2]}`).digest('hex');
  assert.deepEqual(chainIDs(d), [d[0], c1, c2]);
  assert.deepEqual(chainIDs([]), []);
  assert.equal(sha256Of(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
