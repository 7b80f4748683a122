// kubectl 1.27 and 1.33: client-side and server-side apply, diff, explain, edit, patch in every
// type, label/annotate, scale, describe, wait, and cascading deletion.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestServer, KUBECTL_VERSIONS } from './harness.ts';

const server = new TestServer(['--disable-agent']);
const work = mkdtempSync(join(tmpdir(), 'navarch-apply-'));
before(() => server.start());
after(async () => { await server.cleanup(); rmSync(work, { recursive: true, force: true }); });

function deployment(name: string, image: string, env: string, labels: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: main
        image: ${image}
        env: [{name: MODE, value: "${env}"}]
        ports: [{containerPort: 8080, name: http}]
`;
}

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `apply-${v.replace('.', '')}`;
    const dir = join(work, ns);
    const k = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) => server.kubectl(v, ['-n', ns, ...args], opts);
    const ok = async (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) => {
      const r = await k(args, opts);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    };
    const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));

    before(async () => {
      mkdirSync(join(dir, 'manifests'), { recursive: true });
      mkdirSync(join(dir, 'kustom'), { recursive: true });
      await ok(['create', 'namespace', ns]);
    });

    test('applies a multi-document file, then reports it unchanged', async () => {
      const file = join(dir, 'app.yaml');
      writeFileSync(file, `${deployment('web', 'nginx:1.25', 'fast', 'app: web, tier: front')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {color: blue}\n`);
      const first = await ok(['apply', '-f', file]);
      assert.match(first, /deployment.apps\/web created/);
      assert.match(first, /configmap\/web-config created/);
      const again = await ok(['apply', '-f', file]);
      assert.match(again, /deployment.apps\/web unchanged/);
      assert.match(again, /configmap\/web-config unchanged/);
      const d = await json(['get', 'deploy', 'web']);
      assert.ok(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
      assert.equal(d.spec.template.spec.containers[0].ports[0].protocol, 'TCP');
    });

    test('applies an edit as a strategic merge: image and env change, a removed label goes', async () => {
      const file = join(dir, 'app.yaml');
      writeFileSync(file, deployment('web', 'nginx:1.26', 'slow', 'app: web'));
      const diff = await k(['diff', '-f', file]);
      assert.equal(diff.code, 1, `diff should report changes: ${diff.stderr}`);
      assert.match(diff.stdout, /^-\s+image: nginx:1\.25$/m);
      assert.match(diff.stdout, /^\+\s+image: nginx:1\.26$/m);
      assert.match(diff.stdout, /^-\s+tier: front$/m);
      assert.match(await ok(['apply', '-f', file]), /deployment.apps\/web configured/);
      const d = await json(['get', 'deploy', 'web']);
      assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.26');
      assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'MODE', value: 'slow' }]);
      assert.deepEqual(d.metadata.labels, { app: 'web' });
      assert.equal(d.metadata.generation, 2);
      const same = await k(['diff', '-f', file]);
      assert.equal(same.code, 0, same.stdout + same.stderr);
    });

    test('applies a directory and a kustomization', async () => {
      writeFileSync(join(dir, 'manifests', 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dir-a}\ndata: {x: "1"}\n');
      writeFileSync(join(dir, 'manifests', 'b.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: dir-b}\nstringData: {token: abc}\n');
      const out = await ok(['apply', '-f', join(dir, 'manifests')]);
      assert.match(out, /configmap\/dir-a created/);
      assert.match(out, /secret\/dir-b created/);
      writeFileSync(join(dir, 'kustom', 'kustomization.yaml'), `namespace: ${ns}\nnamePrefix: k-\ncommonLabels: {managed: kustomize}\nconfigMapGenerator:\n- name: gen\n  literals: [a=b]\nresources: [svc.yaml]\n`);
      writeFileSync(join(dir, 'kustom', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n');
      const k1 = await ok(['apply', '-k', join(dir, 'kustom')]);
      assert.match(k1, /service\/k-api created/);
      assert.match(k1, /configmap\/k-gen-\w+ created/);
      const svc = await json(['get', 'svc', 'k-api']);
      assert.equal(svc.metadata.labels.managed, 'kustomize');
      assert.equal(svc.spec.ports[0].protocol, 'TCP');
      assert.equal(svc.spec.type, 'ClusterIP');
    });

    test('server-side apply owns fields and needs --force-conflicts to take them', async () => {
      const file = join(dir, 'ssa.yaml');
      writeFileSync(file, deployment('ssa', 'busybox:1', 'a', 'app: ssa'));
      assert.match(await ok(['apply', '--server-side', '-f', file]), /deployment.apps\/ssa serverside-applied/);
      await ok(['scale', 'deploy', 'ssa', '--replicas=5']);
      writeFileSync(file, deployment('ssa', 'busybox:1', 'a', 'app: ssa').replace('replicas: 2', 'replicas: 3'));
      const conflict = await k(['apply', '--server-side', '-f', file]);
      assert.notEqual(conflict.code, 0);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "[^"]+" using apps\/v1: \.spec\.replicas/);
      assert.equal((await json(['get', 'deploy', 'ssa'])).spec.replicas, 5);
      assert.match(await ok(['apply', '--server-side', '--force-conflicts', '-f', file]), /serverside-applied/);
      const d = await json(['get', 'deploy', 'ssa', '--show-managed-fields']);
      assert.equal(d.spec.replicas, 3);
      const applier = d.metadata.managedFields.find((m: any) => m.operation === 'Apply');
      assert.equal(applier.manager, 'kubectl');
      assert.ok(applier.fieldsV1['f:spec']['f:replicas']);
    });

    test('patches with json, merge and strategic types', async () => {
      assert.match(await ok(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']), /patched/);
      assert.match(await ok(['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"annotations":{"team":"blue"}}}']), /patched/);
      assert.match(await ok(['patch', 'deploy', 'web', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}']), /patched/);
      const d = await json(['get', 'deploy', 'web']);
      assert.equal(d.spec.replicas, 4);
      assert.equal(d.metadata.annotations.team, 'blue');
      assert.deepEqual(d.spec.template.spec.containers.map((c: any) => c.name).sort(), ['main', 'side']);
      const bad = await k(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"remove","path":"/spec/nothing"}]']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /the server rejected our request due to an error in our request/);
    });

    test('labels, annotates and scales', async () => {
      await ok(['label', 'cm', 'web-config', 'env=prod']);
      await ok(['annotate', 'cm', 'web-config', 'owner=ops']);
      assert.match(await ok(['get', 'cm', '-l', 'env=prod', '-o', 'name']), /configmap\/web-config/);
      await ok(['label', 'cm', 'web-config', 'env-']);
      const cm = await json(['get', 'cm', 'web-config']);
      assert.equal(cm.metadata.labels?.env, undefined);
      assert.equal(cm.metadata.annotations.owner, 'ops');
      assert.match(await ok(['scale', 'deploy', 'web', '--replicas=6']), /scaled/);
      assert.match(await ok(['scale', 'deploy', 'web', '--replicas=1', '--current-replicas=6']), /scaled/);
      assert.equal((await json(['get', 'deploy', 'web'])).spec.replicas, 1);
    });

    test('edits with $EDITOR', async () => {
      const editor = join(dir, 'editor.sh');
      writeFileSync(editor, '#!/bin/sh\nsed -i "s/color: blue/color: green/" "$1"\n');
      chmodSync(editor, 0o755);
      assert.match(await ok(['edit', 'cm', 'web-config'], { env: { EDITOR: editor, KUBE_EDITOR: editor } }), /configmap\/web-config edited/);
      assert.equal((await json(['get', 'cm', 'web-config'])).data.color, 'green');
    });

    test('explains fields from the OpenAPI schema', async () => {
      const out = await ok(['explain', 'deployment.spec.strategy']);
      assert.match(out, /KIND:\s+Deployment/);
      assert.match(out, /rollingUpdate/);
      assert.match(await ok(['explain', 'pods.spec.containers.ports']), /containerPort/);
    });

    test('describes a deployment', async () => {
      const out = await ok(['describe', 'deploy', 'web']);
      assert.match(out, /Name:\s+web/);
      assert.match(out, new RegExp(`Namespace:\\s+${ns}`));
      assert.match(out, /Image:\s+nginx:1\.26/);
    });

    test('deletes with foreground and orphan cascading', async () => {
      const owner = await json(['get', 'cm', 'dir-a']);
      for (const [name, block] of [['dep-1', true], ['dep-2', false]] as const) {
        await ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'dir-a', uid: owner.metadata.uid, blockOwnerDeletion: block }] } }) });
      }
      assert.match(await ok(['delete', 'cm', 'dir-a', '--cascade=foreground', '--timeout=30s']), /deleted/);
      for (const n of ['dir-a', 'dep-1', 'dep-2']) assert.match((await k(['get', 'cm', n])).stderr, /not found/);

      const owner2 = await json(['get', 'cm', 'web-config']);
      await ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orphan-me', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'web-config', uid: owner2.metadata.uid }] } }) });
      assert.match(await ok(['delete', 'cm', 'web-config', '--cascade=orphan', '--timeout=30s']), /deleted/);
      await waitUntil(async () => (await json(['get', 'cm', 'orphan-me'])).metadata.ownerReferences === undefined);
    });
  });
}

async function waitUntil(cond: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
