import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { desiredPolicyState, emptyPolicyState, policyBaseTable, policyPods, type PolicyInputs } from './policy-rules.ts';
import { diffScript } from '../nftables/index.ts';

type Obj = Record<string, any>;
const pod = (ns: string, name: string, ip: string, labels: Record<string, string>, over: Obj = {}): Obj => ({
  metadata: { namespace: ns, name, labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }], ...over.spec },
  status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], ...over.status },
});
const policy = (ns: string, name: string, spec: Obj): Obj => ({ metadata: { namespace: ns, name }, spec });

const PODS = [
  pod('app', 'enc', '10.42.0.2', { app: 'encryption' }),
  pod('app', 'backend', '10.42.0.3', { role: 'backend' }),
  pod('app', 'frontend', '10.42.0.4', { role: 'frontend' }),
  pod('other', 'backend', '10.42.0.5', { role: 'backend' }),
  pod('app', 'remote', '10.42.1.2', { role: 'backend' }, { spec: { nodeName: 'n2' } }),
  pod('app', 'done', '10.42.0.9', { role: 'backend' }, { status: { phase: 'Succeeded' } }),
  pod('app', 'host', '192.168.1.1', { role: 'backend' }, { spec: { hostNetwork: true } }),
];
const inputs = (policies: Obj[], pods = PODS): PolicyInputs => ({
  nodeName: 'n1', policies, pods: policyPods(pods),
  namespaces: new Map<string, Record<string, string>>([['app', { 'kubernetes.io/metadata.name': 'app' }], ['other', { 'kubernetes.io/metadata.name': 'other', team: 'x' }]]),
});
const allowBackend = policy('app', 'allow-backend', {
  podSelector: { matchLabels: { app: 'encryption' } },
  ingress: [{ from: [{ podSelector: { matchLabels: { role: 'backend' } } }], ports: [{ protocol: 'TCP', port: 443 }] }],
});

test('a pod no policy selects is not isolated; a selected pod passes its policies\' chains, then drops', () => {
  assert.equal(desiredPolicyState(inputs([])).maps.get('ingress-pods')!.size, 0);
  const s = desiredPolicyState(inputs([allowBackend]));
  assert.deepEqual([...s.maps.get('ingress-pods')!], [['10.42.0.2', 'goto pod-in-app/enc']]);
  assert.equal(s.maps.get('egress-pods')!.size, 0, 'policyTypes defaulted to Ingress only');
  assert.deepEqual(s.chains.get('pod-in-app/enc'), ['ip saddr 10.42.0.2 accept', 'jump in-app/allow-backend', 'drop']);
  assert.deepEqual(s.chains.get('in-app/allow-backend'), ['ip saddr @in-app/allow-backend-0 meta l4proto tcp th dport 443 accept']);
  // Peers: running pods of the policy's namespace on any node; not finished or host-network ones.
  assert.deepEqual([...s.sets.get('in-app/allow-backend-0')!.elements!].sort(), ['10.42.0.3', '10.42.1.2']);
});

test('namespaceSelector alone picks every pod of the namespaces; with podSelector, both must match; ipBlock keeps its exceptions', () => {
  const s = desiredPolicyState(inputs([policy('app', 'p', {
    podSelector: {},
    ingress: [
      { from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] },
      { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'frontend' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.42.0.0/24', '10.43.0.0/16'] } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 8000, endPort: 8100 }] },
    ],
  })]));
  assert.deepEqual([...s.sets.get('in-app/p-0')!.elements!], ['10.42.0.5']);
  assert.deepEqual([...s.sets.get('in-app/p-1')!.elements!], ['10.42.0.4']);
  assert.deepEqual([...s.chains.get('in-app/p')!].sort(), [
    'ip saddr @in-app/p-0 accept',
    'ip saddr 10.0.0.0/8 ip saddr != { 10.42.0.0/24 , 10.43.0.0/16 } meta l4proto udp th dport 53 accept',
    'ip saddr 10.0.0.0/8 ip saddr != { 10.42.0.0/24 , 10.43.0.0/16 } meta l4proto tcp th dport 8000-8100 accept',
    'ip saddr @in-app/p-1 meta l4proto udp th dport 53 accept',
    'ip saddr @in-app/p-1 meta l4proto tcp th dport 8000-8100 accept',
  ].sort());
  assert.equal(s.maps.get('ingress-pods')!.size, 3, 'every local pod of the namespace');
});

test('an empty rule list denies everything that way; Egress policies isolate senders and match the destination', () => {
  const s = desiredPolicyState(inputs([
    policy('app', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('app', 'backend-out', { podSelector: { matchLabels: { role: 'backend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'encryption' } } }], ports: [{ port: 'http' }] }] }),
  ]));
  assert.deepEqual(s.chains.get('in-app/deny-all'), []);
  assert.deepEqual(s.chains.get('out-app/deny-all'), []);
  assert.deepEqual(s.chains.get('pod-out-app/backend'), ['ip daddr 10.42.0.3 accept', 'jump out-app/backend-out', 'jump out-app/deny-all', 'drop']);
  // The named port is the destination's: the encryption pod's http, 8080.
  assert.deepEqual(s.chains.get('out-app/backend-out'), ['ip daddr @out-app/backend-out-0 meta l4proto tcp ip daddr . th dport { 10.42.0.2 . 8080 } accept']);
  assert.deepEqual([...s.sets.get('out-app/backend-out-0')!.elements!], ['10.42.0.2']);
  assert.equal(s.maps.get('egress-pods')!.get('10.42.0.3'), 'goto pod-out-app/backend');
  assert.equal(s.maps.get('egress-pods')!.has('10.42.1.2'), false, 'pods of other nodes are their node\'s business');
});

test('a named port no destination has allows nothing; ingress resolves it on the selected pods', () => {
  const s = desiredPolicyState(inputs([
    policy('app', 'named', { podSelector: { matchLabels: { app: 'encryption' } }, ingress: [{ ports: [{ port: 'http' }, { port: 'metrics' }] }] }),
  ]));
  assert.deepEqual(s.chains.get('in-app/named'), ['meta l4proto tcp ip daddr . th dport { 10.42.0.2 . 8080 } accept']);
});

test('a label change moves set elements and map entries, not policy rules', () => {
  const before = desiredPolicyState(inputs([allowBackend]));
  const relabelled = PODS.map((p) => (p.metadata.name === 'frontend' ? { ...p, metadata: { ...p.metadata, labels: { role: 'backend' } } } : p));
  const after = desiredPolicyState(inputs([allowBackend], relabelled));
  assert.equal(diffScript('t', before, after), 'add element ip t in-app/allow-backend-0 { 10.42.0.4 }\n');
  assert.equal(diffScript('t', after, after), '');
  const gone = diffScript('t', after, desiredPolicyState(inputs([])));
  assert.match(gone, /delete element ip t ingress-pods \{ 10\.42\.0\.2 \}/);
  assert.match(gone, /delete chain ip t in-app\/allow-backend\n/);
  assert.match(gone, /delete set ip t in-app\/allow-backend-0\n$/);
});

test('nft accepts the whole table (checked, not applied)', () => {
  const s = desiredPolicyState(inputs([
    allowBackend,
    policy('app', 'mixed', {
      podSelector: {}, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.42.0.0/24'] } }, { namespaceSelector: {} }], ports: [{ port: 'http' }, { protocol: 'SCTP' }, { protocol: 'UDP', port: 5000, endPort: 5010 }] }],
      egress: [{}],
    }),
  ]));
  const script = `${policyBaseTable('navarch-pol-check')}\n${diffScript('navarch-pol-check', emptyPolicyState(), s)}`;
  const r = spawnSync('nft', ['-c', '-f', '-'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stderr}\n${script}`);
});
