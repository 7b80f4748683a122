// CustomResourceDefinitions driven by kubectl 1.27 and 1.33: create and wait for Established,
// discovery, custom resources with printer columns, defaults, pruning, schema validation, the
// status and scale subresources, a second served version, and cleanup when the CRD is deleted.
// Each kubectl version has its own namespace and CRD group.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, KUBECTL_VERSIONS } from './harness.ts';

const server = new TestServer(['--disable-agent']);
before(() => server.start());
after(() => server.cleanup());

const crdManifest = (group: string) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.${group}
spec:
  group: ${group}
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [cronSpec]
            properties:
              cronSpec:
                type: string
                pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
              image:
                type: string
              replicas:
                type: integer
                minimum: 1
                maximum: 10
                default: 1
              mode:
                type: string
                enum: [fast, slow]
          status:
            type: object
            properties:
              replicas:
                type: integer
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Spec
      type: string
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
`;

const cronTab = (group: string, name: string, spec: string) => `
apiVersion: ${group}/v1
kind: CronTab
metadata:
  name: ${name}
spec:
${spec}
`;

for (const v of KUBECTL_VERSIONS) {
  describe(`kubectl ${v}`, () => {
    const tag = v.replace('.', '');
    const ns = `crd-${tag}`;
    const group = `g${tag}.example.com`;
    const crdName = `crontabs.${group}`;
    const k = (args: string[], input?: string) => server.kubectl(v, args, { input });
    const ok = async (args: string[], input?: string) => {
      const r = await k(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout;
    };
    const createCrd = async () => {
      assert.match(await ok(['create', '-f', '-'], crdManifest(group)), new RegExp(`customresourcedefinition.apiextensions.k8s.io/${crdName.replace(/\./g, '\\.')} created`));
      assert.match(await ok(['wait', '--for', 'condition=established', `crd/${crdName}`, '--timeout=30s']), /condition met/);
    };

    test('creates a CRD that becomes Established with accepted names and shows in api-resources', async () => {
      await createCrd();
      const crd = JSON.parse(await ok(['get', 'crd', crdName, '-o', 'json']));
      assert.deepEqual(crd.status.acceptedNames, { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] });
      assert.deepEqual(crd.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [['NamesAccepted', 'True', 'NoConflicts'], ['Established', 'True', 'InitialNamesAccepted']]);
      assert.deepEqual(crd.status.storedVersions, ['v1']);
      assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
      const resources = await ok(['api-resources', `--api-group=${group}`]);
      assert.match(resources, new RegExp(`crontabs\\s+ct\\s+${group.replace(/\./g, '\\.')}/v1\\s+true\\s+CronTab`));
      assert.match(await ok(['create', 'namespace', ns]), /created/);
    });

    test('refuses a CRD whose name is not plural.group', async () => {
      const r = await k(['create', '-f', '-'], crdManifest(group).replace(`name: crontabs.${group}`, `name: wrong.${group}`));
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`metadata.name: Invalid value: "wrong.${group.replace(/\./g, '\\.')}": must be spec.names.plural\\+"."\\+spec.group`));
    });

    test('creates custom resources and lists them with the printer columns', async () => {
      assert.match(await ok(['-n', ns, 'create', '-f', '-'], cronTab(group, 'nightly', '  cronSpec: "0 3 * * *"\n  image: backup:1\n  replicas: 2')), /crontab\.g\d+\.example\.com\/nightly created/);
      assert.match(await ok(['-n', ns, 'create', '-f', '-'], cronTab(group, 'often', '  cronSpec: "*/5 * * * *"')), /often created/);
      const table = await ok(['-n', ns, 'get', 'crontabs']);
      assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE\n/);
      assert.match(table, /nightly\s+0 3 \* \* \*\s+2\s+\d+s/);
      assert.match(table, /often\s+\*\/5 \* \* \* \*\s+1\s+\d+s/);
      assert.match(await ok(['-n', ns, 'get', 'ct', 'often']), /often/);
    });

    test('applies schema defaults and prunes unknown fields, warning or refusing as fieldValidation says', async () => {
      const often = JSON.parse(await ok(['-n', ns, 'get', 'ct', 'often', '-o', 'json']));
      assert.deepEqual(often.spec, { cronSpec: '*/5 * * * *', replicas: 1 });
      const strict = await k(['-n', ns, 'create', '-f', '-'], cronTab(group, 'extra', '  cronSpec: "* * * * *"\n  colour: red'));
      assert.notEqual(strict.code, 0);
      assert.match(strict.stderr, /CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.colour"/);
      const warned = await k(['-n', ns, 'create', '-f', '-', '--validate=warn'], cronTab(group, 'extra', '  cronSpec: "* * * * *"\n  colour: red'));
      assert.equal(warned.code, 0, warned.stderr);
      assert.match(warned.stderr, /Warning: unknown field "spec.colour"/);
      const yaml = await ok(['-n', ns, 'get', 'ct', 'extra', '-o', 'yaml']);
      assert.match(yaml, /spec:\n {2}cronSpec: '\* \* \* \* \*'\n {2}replicas: 1\n/);
      assert.doesNotMatch(yaml, /colour/);
    });

    test('refuses invalid custom resources with the schema messages', async () => {
      const r = await k(['-n', ns, 'create', '-f', '-'], cronTab(group, 'broken', '  replicas: "three"\n  mode: medium'));
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /The CronTab "broken" is invalid:/);
      assert.match(r.stderr, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
      assert.match(r.stderr, /spec\.mode: Unsupported value: "medium": supported values: "fast", "slow"/);
      assert.match(r.stderr, /spec\.cronSpec: Required value/);
      const bounds = await k(['-n', ns, 'create', '-f', '-'], cronTab(group, 'broken', '  cronSpec: "never"\n  replicas: 11'));
      assert.notEqual(bounds.code, 0);
      assert.match(bounds.stderr, /spec\.cronSpec: Invalid value: "never": spec\.cronSpec in body should match '/);
      assert.match(bounds.stderr, /spec\.replicas: Invalid value: 11: spec\.replicas in body should be less than or equal to 10/);
    });

    test('the status subresource alone changes status', async () => {
      assert.match(await ok(['-n', ns, 'patch', 'ct', 'nightly', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":2}}']), /patched/);
      assert.equal(await ok(['-n', ns, 'get', 'ct', 'nightly', '-o', 'jsonpath={.status.replicas}']), '2');
      await ok(['-n', ns, 'patch', 'ct', 'nightly', '--type=merge', '-p', '{"status":{"replicas":7},"spec":{"image":"backup:2"}}']);
      const obj = JSON.parse(await ok(['-n', ns, 'get', 'ct', 'nightly', '-o', 'json']));
      assert.equal(obj.status.replicas, 2);
      assert.equal(obj.spec.image, 'backup:2');
      assert.equal(obj.metadata.generation, 2);
    });

    test('kubectl scale changes the replicas through the scale subresource', async () => {
      assert.match(await ok(['-n', ns, 'scale', 'ct', 'nightly', '--replicas=4']), /scaled/);
      assert.equal(await ok(['-n', ns, 'get', 'ct', 'nightly', '-o', 'jsonpath={.spec.replicas}']), '4');
      const scale = JSON.parse(await ok(['get', '--raw', `/apis/${group}/v1/namespaces/${ns}/crontabs/nightly/scale`]));
      assert.deepEqual([scale.kind, scale.spec.replicas, scale.status.replicas], ['Scale', 4, 2]);
    });

    test('serves the objects in the second version with its apiVersion', async () => {
      const beta = JSON.parse(await ok(['-n', ns, 'get', `crontabs.v1beta1.${group}`, 'nightly', '-o', 'json']));
      assert.equal(beta.apiVersion, `${group}/v1beta1`);
      assert.equal(beta.spec.cronSpec, '0 3 * * *');
    });

    test('deleting the CRD deletes its custom resources', async () => {
      assert.match(await ok(['delete', 'crd', crdName, '--timeout=60s']), /deleted/);
      const gone = await k(['get', 'crd', crdName]);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /NotFound|not found/);
      // Recreated, the CRD starts empty: its old objects were deleted, not hidden.
      await createCrd();
      const list = await k(['-n', ns, 'get', 'crontabs']);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stderr, /No resources found/);
      await ok(['delete', 'crd', crdName, '--timeout=60s']);
    });
  });
}
