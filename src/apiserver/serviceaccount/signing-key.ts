// The key that signs service account tokens: an RSA key pair made once in the PKI directory
// (sa.key private, sa.pub public, the names kubeadm uses) and reused after, so tokens survive
// restarts. Its public half is what OIDC discovery would publish.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The JWT `kid`: base64url SHA-256 of the public key's DER (SubjectPublicKeyInfo), as upstream derives it. */
  keyId: string;
}

const PRIVATE_FILE = 'sa.key';
const PUBLIC_FILE = 'sa.pub';

function writeAtomic(path: string, data: string, mode: number): void {
  writeFileSync(`${path}.tmp`, data, { mode });
  renameSync(`${path}.tmp`, path);
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, keyId: createHash('sha256').update(der).digest('base64url') };
}

/** Loads dir/sa.key, creating an RSA-2048 key (and dir/sa.pub) when absent. */
export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey> {
  const keyPath = join(dir, PRIVATE_FILE);
  if (existsSync(keyPath)) return signingKeyFrom(createPrivateKey(readFileSync(keyPath, 'utf8')));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const key = signingKeyFrom(privateKey);
  // The private key last: its presence marks the pair complete.
  writeAtomic(join(dir, PUBLIC_FILE), key.publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  writeAtomic(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  return key;
}
