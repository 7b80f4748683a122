// kubectl 1.27 and 1.33 against a fresh `navarch server`: create, get in every output format,
// selectors, watch, delete and namespaces, as a user would drive a real cluster.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { TestServer, KUBECTL_VERSIONS, kubectlPath } from './harness.ts';

const server = new TestServer(['--disable-agent']);
before(() => server.start());
after(() => server.cleanup());

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const ns = `basics-${v.replace('.', '')}`;
    const k = async (args: string[], input?: string) => {
      const r = await server.kubectl(v, args, { input });
      return r;
    };
    const ok = async (args: string[], input?: string) => {
      const r = await k(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout;
    };

    test('readyz and version', async () => {
      assert.equal((await ok(['get', '--raw', '/readyz'])).trim(), 'ok');
      assert.match(await ok(['version']), /Server Version: (version.Info\{.*GitVersion:"v1\.33\.\d+|v1\.33\.\d+)/);
    });

    test('creates a namespace and lists it with its columns', async () => {
      assert.match(await ok(['create', 'namespace', ns]), new RegExp(`namespace/${ns} created`));
      const out = await ok(['get', 'namespace', ns]);
      assert.match(out, /^NAME\s+STATUS\s+AGE\n/);
      assert.match(out, new RegExp(`${ns}\\s+Active\\s+\\d+s`));
    });

    test('creates config maps and secrets from literals and files', async () => {
      assert.match(await ok(['-n', ns, 'create', 'configmap', 'app-config', '--from-literal=mode=fast', '--from-literal=level=3']), /configmap\/app-config created/);
      assert.match(await ok(['-n', ns, 'create', 'configmap', 'files', `--from-file=harness.ts=${new URL('./harness.ts', import.meta.url).pathname}`]), /configmap\/files created/);
      assert.match(await ok(['-n', ns, 'create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']), /secret\/creds created/);
      assert.equal(await ok(['-n', ns, 'get', 'configmap', 'app-config', '-o', 'jsonpath={.data.mode}']), 'fast');
      assert.equal(Buffer.from(await ok(['-n', ns, 'get', 'secret', 'creds', '-o', 'jsonpath={.data.password}']), 'base64').toString(), 's3cret');
      const files = JSON.parse(await ok(['-n', ns, 'get', 'configmap', 'files', '-o', 'json']));
      assert.match(files.data['harness.ts'], /End-to-end harness/);
      const table = await ok(['-n', ns, 'get', 'configmaps']);
      assert.match(table, /^NAME\s+DATA\s+AGE\n/);
      assert.match(table, /app-config\s+2\s+/);
      assert.match(await ok(['-n', ns, 'get', 'secrets']), /creds\s+Opaque\s+1\s+/);
    });

    test('refuses a duplicate with AlreadyExists', async () => {
      const r = await k(['-n', ns, 'create', 'configmap', 'app-config', '--from-literal=a=b']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /configmaps "app-config" already exists/);
    });

    test('creates a deployment with upstream defaults and shows its columns', async () => {
      assert.match(await ok(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']), /deployment.apps\/web created/);
      const d = JSON.parse(await ok(['-n', ns, 'get', 'deployment', 'web', '-o', 'json']));
      assert.equal(d.spec.replicas, 3);
      assert.equal(d.spec.strategy.type, 'RollingUpdate');
      assert.equal(d.spec.strategy.rollingUpdate.maxSurge, '25%');
      assert.equal(d.spec.revisionHistoryLimit, 10);
      assert.equal(d.spec.progressDeadlineSeconds, 600);
      assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
      assert.equal(d.spec.template.spec.restartPolicy, 'Always');
      assert.equal(d.metadata.generation, 1);
      const table = await ok(['-n', ns, 'get', 'deploy', '-o', 'wide']);
      assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
      // No nodes here: the pods stay Pending, so none is ready or available whatever UP-TO-DATE shows yet.
      assert.match(table, /web\s+0\/3\s+[03]\s+0\s+\S+\s+nginx\s+nginx:1\.25\s+app=web/);
    });

    test('gets in every output format', async () => {
      assert.equal((await ok(['-n', ns, 'get', 'cm', 'app-config', '-o', 'name'])).trim(), 'configmap/app-config');
      const yaml = await ok(['-n', ns, 'get', 'cm', 'app-config', '-o', 'yaml']);
      assert.match(yaml, /^kind: ConfigMap$/m);
      assert.match(yaml, /^  mode: fast$/m);
      assert.equal(JSON.parse(await ok(['-n', ns, 'get', 'cm', 'app-config', '-o', 'json'])).metadata.name, 'app-config');
      assert.match(await ok(['get', 'cm', '-A']), new RegExp(`^NAMESPACE\\s+NAME\\s+DATA\\s+AGE\\n[\\s\\S]*${ns}\\s+app-config\\s+2`));
      assert.match(await ok(['-n', ns, 'get', 'deploy', '--show-labels']), /web\s+.*app=web/);
    });

    test('selects by label and by field', async () => {
      await ok(['-n', ns, 'create', 'configmap', 'sel-a', '--from-literal=x=1']);
      await ok(['-n', ns, 'create', 'configmap', 'sel-b', '--from-literal=x=1']);
      const list = JSON.parse(await ok(['-n', ns, 'get', 'cm', '--field-selector', 'metadata.name=sel-a', '-o', 'json']));
      assert.deepEqual(list.items.map((i: any) => i.metadata.name), ['sel-a']);
      const none = await k(['-n', ns, 'get', 'cm', '-l', 'tier in (front,back),!canary']);
      assert.equal(none.code, 0);
      assert.match(none.stderr, /No resources found/);
      const bad = await k(['-n', ns, 'get', 'cm', '--field-selector', 'spec.nothing=1']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /"spec.nothing" is not a known field selector/);
      const pods = await k(['-n', ns, 'get', 'pods', '--field-selector', 'spec.nodeName=n1,status.phase!=Failed']);
      assert.equal(pods.code, 0, pods.stderr);
    });

    test('watches changes with get -w', async () => {
      const p = spawn(kubectlPath(v), ['--kubeconfig', server.kubeconfig, '--cache-dir', `${server.dataDir}/../kube-cache-${v}`, '-n', ns, 'get', 'cm', '-w', '--request-timeout=20s']);
      let out = '';
      p.stdout.on('data', (d) => { out += d; });
      try {
        await waitFor(() => /sel-a/.test(out), 10_000, () => out);
        await ok(['-n', ns, 'create', 'configmap', 'watched', '--from-literal=a=b']);
        await waitFor(() => /watched\s+1\s+/.test(out), 10_000, () => out);
        assert.equal((out.match(/^NAME\s+DATA\s+AGE$/gm) ?? []).length, 1, out);
      } finally { p.kill(); }
    });

    test('runs a pod that stays Pending with upstream columns, and waits for a condition', async () => {
      assert.match(await ok(['-n', ns, 'run', 'solo', '--image=busybox:1.36', '--labels=role=solo', '--', 'sleep', '3600']), /pod\/solo created/);
      const pod = JSON.parse(await ok(['-n', ns, 'get', 'pod', 'solo', '-o', 'json']));
      assert.equal(pod.status.phase, 'Pending');
      assert.equal(pod.status.qosClass, 'BestEffort');
      assert.equal(pod.spec.containers[0].imagePullPolicy, 'IfNotPresent');
      assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
      const wide = await ok(['-n', ns, 'get', 'pods', '-o', 'wide']);
      assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
      assert.match(wide, /solo\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>/);
      // Report the pod ready through the status subresource, as a node agent would.
      const status = { status: { phase: 'Running', podIP: '10.42.0.7', podIPs: [{ ip: '10.42.0.7' }], conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
        containerStatuses: [{ name: 'solo', image: 'busybox:1.36', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }] } };
      await ok(['-n', ns, 'patch', 'pod', 'solo', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
      assert.match(await ok(['-n', ns, 'wait', '--for=condition=Ready', 'pod/solo', '--timeout=10s']), /condition met/);
      assert.match(await ok(['-n', ns, 'get', 'pods', '-o', 'wide']), /solo\s+1\/1\s+Running\s+0\s+\d+s\s+10\.42\.0\.7\s+/);
      assert.match(await ok(['-n', ns, 'get', 'pods', '-l', 'role=solo', '-o', 'jsonpath={.items[*].status.podIP}']), /^10\.42\.0\.7$/);
    });

    test('deletes by name and by label selector', async () => {
      assert.match(await ok(['-n', ns, 'delete', 'cm', 'watched']), /configmap "watched" deleted/);
      const r = await k(['-n', ns, 'get', 'cm', 'watched']);
      assert.match(r.stderr, /NotFound.*configmaps "watched" not found/);
      assert.match(await ok(['-n', ns, 'delete', 'cm', '-l', 'nothing-has-this']), /No resources found/);
    });

    test('lists api resources and versions', async () => {
      const res = await ok(['api-resources']);
      for (const line of [/^pods\s+po\s+v1\s+true\s+Pod$/m, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m, /^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m]) assert.match(res, line);
      const versions = await ok(['api-versions']);
      for (const gv of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1']) assert.match(versions, new RegExp(`^${gv.replace('/', '\\/')}$`, 'm'));
    });

    test('waits for a jsonpath value', async () => {
      assert.match(await ok(['-n', ns, 'wait', '--for=jsonpath={.data.mode}=fast', 'cm/app-config', '--timeout=10s']), /condition met/);
    });

    test('deletes a namespace with its content', async () => {
      assert.match(await ok(['delete', 'namespace', ns, '--timeout=30s']), new RegExp(`namespace "${ns}" deleted`));
      const r = await k(['get', 'namespace', ns]);
      assert.match(r.stderr, /not found/);
      const cms = await k(['get', 'cm', '-A', '--field-selector', `metadata.namespace=${ns}`]);
      assert.match(cms.stderr, /No resources found/);
      const create = await k(['-n', ns, 'create', 'configmap', 'late', '--from-literal=a=b']);
      assert.match(create.stderr, /namespaces "[^"]+" not found/);
    });
  });
}

async function waitFor(cond: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out; saw:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
