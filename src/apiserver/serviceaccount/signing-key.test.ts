import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { createHash, createPublicKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey } from './signing-key.ts';

test('the signing key is an RSA pair made once in the directory (sa.key 0600, sa.pub) and reused after', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'navarch-sa-key-'));
  try {
    const first = await loadOrCreateSigningKey(join(dir, 'pki'));
    assert.equal(first.privateKey.asymmetricKeyType, 'rsa');
    assert.equal(first.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(statSync(join(dir, 'pki', 'sa.key')).mode & 0o777, 0o600);
    const pub = createPublicKey(readFileSync(join(dir, 'pki', 'sa.pub'), 'utf8'));
    assert.ok(pub.equals(first.publicKey));
    // kid: base64url SHA-256 of the DER public key, as upstream computes it.
    assert.equal(first.keyId, createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('base64url'));
    const again = await loadOrCreateSigningKey(join(dir, 'pki'));
    assert.equal(again.keyId, first.keyId);
    assert.ok(again.publicKey.equals(first.publicKey));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
