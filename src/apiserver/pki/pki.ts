// The cluster's own certificate authority: created on first start in <dataDir>/pki and reused
// after. It signs the API server's serving certificate and client certificates (the admin's,
// and one per in-process component so each has its own identity).
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { networkInterfaces, hostname } from 'node:os';
import { join } from 'node:path';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export interface KeyPairPem { cert: string; key: string }

export interface ClientIdentity { user: string; groups: string[] }

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
}

function serial(): string {
  return '01' + Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString('hex');
}

function writeAtomic(path: string, data: string, mode: number): void {
  writeFileSync(path + '.tmp', data, { mode });
  renameSync(path + '.tmp', path);
}

/** Loopback and this host's addresses and names, for the serving certificate. */
export function localSubjectAltNames(extra: string[] = []): x509.JsonGeneralNames {
  const names: x509.JsonGeneralNames = [
    { type: 'dns', value: 'localhost' },
    { type: 'dns', value: 'kubernetes' },
    { type: 'dns', value: 'kubernetes.default' },
    { type: 'dns', value: 'kubernetes.default.svc' },
    { type: 'dns', value: 'kubernetes.default.svc.cluster.local' },
    { type: 'dns', value: hostname() },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
  ];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) names.push({ type: 'ip', value: a.address.replace(/%.*$/, '') });
  }
  for (const e of extra) names.push(/^[\d.]+$|:/.test(e) ? { type: 'ip', value: e } : { type: 'dns', value: e });
  return names;
}

export class CertificateAuthority {
  readonly certPem: string;
  readonly #cert: x509.X509Certificate;
  readonly #key: CryptoKey;

  private constructor(certPem: string, key: CryptoKey) {
    this.certPem = certPem;
    this.#cert = new x509.X509Certificate(certPem);
    this.#key = key;
  }

  /** Loads the CA from dir, creating it when absent. */
  static async loadOrCreate(dir: string): Promise<CertificateAuthority> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const certPath = join(dir, 'ca.crt');
    const keyPath = join(dir, 'ca.key');
    if (existsSync(certPath) && existsSync(keyPath)) {
      return new CertificateAuthority(readFileSync(certPath, 'utf8'), await importKey(readFileSync(keyPath, 'utf8')));
    }
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair;
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=navarch-ca@${Math.floor(now / 1000)}`,
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + TEN_YEARS_MS),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const certPem = cert.toString('pem') + '\n';
    writeAtomic(keyPath, await exportKey(keys.privateKey), 0o600);
    writeAtomic(certPath, certPem, 0o644);
    return new CertificateAuthority(certPem, keys.privateKey);
  }

  async #issue(subject: string, usage: 'server' | 'client', altNames?: x509.JsonGeneralNames): Promise<KeyPairPem> {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as CryptoKeyPair;
    const now = Date.now();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(this.#cert),
    ];
    if (altNames) extensions.push(new x509.SubjectAlternativeNameExtension(altNames));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: this.#cert.subject,
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + ONE_YEAR_MS),
      publicKey: keys.publicKey,
      signingKey: this.#key,
      signingAlgorithm: ALG,
      extensions,
    });
    return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
  }

  /** A serving certificate for the API server's names and addresses. */
  issueServing(altNames: x509.JsonGeneralNames): Promise<KeyPairPem> {
    return this.#issue('CN=navarch-apiserver', 'server', altNames);
  }

  /** A client certificate: CN is the user, each O a group (as upstream's x509 authenticator reads them). */
  issueClient(id: ClientIdentity): Promise<KeyPairPem> {
    const escape = (s: string) => s.replace(/([,+"\\<>;=])/g, '\\$1');
    const subject = [`CN=${escape(id.user)}`, ...id.groups.map((g) => `O=${escape(g)}`)].join(', ');
    return this.#issue(subject, 'client');
  }
}

/** Loads a key pair from dir/name.{crt,key} or issues and stores it. Serving certs are reissued when names change. */
export async function loadOrIssue(dir: string, name: string, issue: () => Promise<KeyPairPem>, fresh: (cert: x509.X509Certificate) => boolean = () => true): Promise<KeyPairPem> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  if (existsSync(certPath) && existsSync(keyPath)) {
    const pair = { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
    const cert = new x509.X509Certificate(pair.cert);
    if (cert.notAfter.getTime() > Date.now() + 24 * 3600_000 && fresh(cert)) return pair;
  }
  const pair = await issue();
  writeAtomic(keyPath, pair.key, 0o600);
  writeAtomic(certPath, pair.cert, 0o644);
  return pair;
}

/** True when the certificate covers every wanted name. */
export function coversNames(cert: x509.X509Certificate, wanted: x509.JsonGeneralNames): boolean {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (!san) return false;
  const have = new Set(san.names.toJSON().map((n) => `${n.type}:${n.value}`));
  return wanted.every((n) => have.has(`${n.type}:${n.value}`));
}
