// Bad requests over raw HTTPS with the admin client certificate: each is refused with the status
// code, reason and message upstream Kubernetes 1.33 answers, and a refused write leaves nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, type RawResponse } from '../e2e/harness.ts';

const server = new TestServer();
const NS = 'bad-input';
const CM = `/api/v1/namespaces/${NS}/configmaps`;
const DEPLOY = `/apis/apps/v1/namespaces/${NS}/deployments`;

before(async () => {
  await server.start();
  const r = await server.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ metadata: { name: NS } }) });
  assert.equal(r.status, 201, r.body);
});
after(() => server.cleanup());

/** Asserts a Failure Status with exactly this code, reason and message; returns it. */
function assertStatus(r: RawResponse, code: number, reason: string, message: string): any {
  assert.equal(r.status, code, r.body);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  const s = r.json();
  assert.equal(s.kind, 'Status');
  assert.equal(s.apiVersion, 'v1');
  assert.equal(s.status, 'Failure');
  assert.equal(s.code, code);
  assert.equal(s.reason, reason);
  assert.equal(s.message, message);
  return s;
}

async function assertConfigMapAbsent(name: string): Promise<void> {
  assertStatus(await server.request('GET', `${CM}/${name}`), 404, 'NotFound', `configmaps "${name}" not found`);
}

const post = (path: string, body: string | Buffer, contentType?: string, query = '') =>
  server.request('POST', path + query, { body, contentType });

function deployment(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...spec,
    },
  };
}

test('malformed JSON is a 400 with Go\'s syntax error and a summary of the body', async () => {
  const truncated = '{"metadata":{"name":"trunc"';
  assertStatus(await post(CM, truncated), 400, 'BadRequest',
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (${truncated})`);
  await assertConfigMapAbsent('trunc');
  assertStatus(await post(CM, '{"metadata" {"name":"x"}}'), 400, 'BadRequest',
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '{' after object key ({"metadata" {"name":"x"}})`);
  // Bodies longer than 30 bytes are cut, with " ..." after.
  assertStatus(await post(CM, '{"metadata":{"name":"long-enough-to-be-cut"},}'), 400, 'BadRequest',
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '}' looking for beginning of object key string ({"metadata":{"name":"long-enou ...)`);
  assertStatus(await post(CM, ''), 400, 'BadRequest',
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)`);
});

test('malformed YAML sent as application/yaml is a 400 in go-yaml\'s words, the body summarized in hex', async () => {
  assertStatus(await post(CM, 'metadata:\n\tname: tabbed\n', 'application/yaml'), 400, 'BadRequest',
    'the object provided is unrecognized (must be of type ConfigMap): yaml: line 2: found character that cannot start any token (6d657461646174613a0a096e616d653a207461626265640a)');
  await assertConfigMapAbsent('tabbed');
  assertStatus(await post(CM, 'data: [a', 'application/yaml'), 400, 'BadRequest',
    "the object provided is unrecognized (must be of type ConfigMap): yaml: line 1: did not find expected ',' or ']' (646174613a205b61)");
});

test('well-formed YAML is decoded like JSON', async () => {
  const r = await post(CM, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n', 'application/yaml');
  assert.equal(r.status, 201, r.body);
  assert.deepEqual(r.json().data, { k: 'v' });
});

test('a body that is a JSON array (or any non-object) is a 400', async () => {
  const go = 'json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
  assertStatus(await post(CM, '[{"metadata":{"name":"in-array"}}]'), 400, 'BadRequest',
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: ${go} (5b7b226d65746164617461223a7b226e616d65223a22696e2d6172726179 ...)`);
  await assertConfigMapAbsent('in-array');
  assertStatus(await post(CM, '"a string"'), 400, 'BadRequest',
    `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: ${go.replace('array', 'string')} (226120737472696e6722)`);
});

test('an apiVersion or kind that does not fit the URL is a 400', async () => {
  const body = (apiVersion: string, kind: string, name: string) => JSON.stringify({ apiVersion, kind, metadata: { name } });
  assertStatus(await post(CM, body('apps/v1', 'ConfigMap', 'wrong-group')), 400, 'BadRequest',
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  await assertConfigMapAbsent('wrong-group');
  assertStatus(await post(CM, body('v1', 'configmap', 'lower-kind')), 400, 'BadRequest',
    'configmap in version "v1" cannot be handled as a ConfigMap: no kind "configmap" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  assertStatus(await post(CM, body('v1', 'Secret', 'other-kind')), 400, 'BadRequest',
    'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion');
  await assertConfigMapAbsent('other-kind');
  assertStatus(await post(DEPLOY, JSON.stringify({ ...deployment('core-deploy'), apiVersion: 'v1' })), 400, 'BadRequest',
    'Deployment in version "v1" cannot be handled as a Deployment: no kind "Deployment" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  // Absent apiVersion and kind default to the URL's.
  const r = await post(CM, JSON.stringify({ metadata: { name: 'no-type-meta' } }));
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json().kind, 'ConfigMap');
});

test('unknown fields: Strict refuses, Warn (the default) warns, Ignore drops them silently', async () => {
  const withFoo = (name: string) => JSON.stringify(deployment(name, { foo: 'bar' }));
  assertStatus(await post(DEPLOY, withFoo('strict'), undefined, '?fieldValidation=Strict'), 400, 'BadRequest',
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"');
  assertStatus(await server.request('GET', `${DEPLOY}/strict`), 404, 'NotFound', 'deployments.apps "strict" not found');

  for (const [name, query] of [['warn', '?fieldValidation=Warn'], ['warn-default', '']]) {
    const r = await post(DEPLOY, withFoo(name), undefined, query);
    assert.equal(r.status, 201, r.body);
    assert.deepEqual(r.headers.warning, '299 - "unknown field \\"spec.foo\\""');
    assert.equal(r.json().spec.foo, undefined);
  }

  const ignored = await post(DEPLOY, withFoo('ignore'), undefined, '?fieldValidation=Ignore');
  assert.equal(ignored.status, 201, ignored.body);
  assert.equal(ignored.headers.warning, undefined);
  const stored = (await server.request('GET', `${DEPLOY}/ignore`)).json();
  assert.equal(stored.spec.foo, undefined);
  assert.equal(stored.spec.replicas, 1);

  assertStatus(await post(DEPLOY, withFoo('bogus'), undefined, '?fieldValidation=Bogus'), 422, 'Invalid',
    'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"');
});

test('a value of the wrong JSON type is a 400 in Go\'s unmarshal words', async () => {
  assertStatus(await post(DEPLOY, JSON.stringify(deployment('string-replicas', { replicas: '3' }))), 400, 'BadRequest',
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  assertStatus(await server.request('GET', `${DEPLOY}/string-replicas`), 404, 'NotFound', 'deployments.apps "string-replicas" not found');
  assertStatus(await post(CM, JSON.stringify({ metadata: { name: 'number-data' }, data: { a: 1 } })), 400, 'BadRequest',
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
  await assertConfigMapAbsent('number-data');
  // Array indices and map keys are not part of the field path; the innermost struct is named.
  const badContainer = deployment('bad-container');
  (badContainer.spec as any).template.spec.containers[0].name = 7;
  assertStatus(await post(DEPLOY, JSON.stringify(badContainer)), 400, 'BadRequest',
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.name of type string');
  assertStatus(await post(DEPLOY, JSON.stringify(deployment('fractional', { replicas: 1.5 }))), 400, 'BadRequest',
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
});

test('an invalid name is 422 Invalid with a cause naming metadata.name', async () => {
  const subdomain = 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')';
  const badName = assertStatus(await post(CM, JSON.stringify({ metadata: { name: 'Bad_Name' } })), 422, 'Invalid',
    `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${subdomain}`);
  assert.deepEqual(badName.details, {
    name: 'Bad_Name', kind: 'ConfigMap',
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${subdomain}`, field: 'metadata.name' }],
  });
  await assertConfigMapAbsent('Bad_Name');

});

test('invalid labels are 422 Invalid with a cause on metadata.labels for each, and store nothing', async () => {
  const r = await post(CM, JSON.stringify({ metadata: { name: 'bad-labels', labels: { 'bad key!': 'ok', good: 'bad value!' } } }));
  assert.equal(r.status, 422, r.body);
  const s = r.json();
  assert.equal(s.reason, 'Invalid');
  assert.match(s.message, /^ConfigMap "bad-labels" is invalid: \[metadata\.labels: Invalid value: "bad key!": name part must consist of .*, metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of .*\]$/);
  assert.deepEqual(s.details.causes.map((c: { reason: string; field: string }) => [c.reason, c.field]), [['FieldValueInvalid', 'metadata.labels'], ['FieldValueInvalid', 'metadata.labels']]);
  await assertConfigMapAbsent('bad-labels');
});

test('label errors list their examples the way upstream\'s RegexError spaces them', async () => {
  const labelValue = 'a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')';
  const labelKey = 'name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')';
  assertStatus(await post(CM, JSON.stringify({ metadata: { name: 'bad-labels', labels: { 'bad key!': 'ok', good: 'bad value!' } } })), 422, 'Invalid',
    `ConfigMap "bad-labels" is invalid: [metadata.labels: Invalid value: "bad key!": ${labelKey}, metadata.labels: Invalid value: "bad value!": ${labelValue}]`);
});

test('a missing name is 422 "name or generateName is required"', async () => {
  const s = assertStatus(await post(CM, JSON.stringify({ metadata: { labels: { a: 'b' } } })), 422, 'Invalid',
    'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
  assert.deepEqual(s.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
});

test('a body over 3 MiB is 413 and stores nothing', async () => {
  const big = JSON.stringify({ metadata: { name: 'too-big' }, data: { blob: 'x'.repeat(3 * 1024 * 1024) } });
  assertStatus(await post(CM, big), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
  await assertConfigMapAbsent('too-big');
  // Just under the limit is read (and then refused by validation for its size, not by the reader).
  const r = await post(CM, JSON.stringify({ metadata: { name: 'almost-too-big' }, data: { blob: 'x'.repeat(3 * 1024 * 1024 - 100) } }));
  assert.notEqual(r.status, 413, r.body);
});

test('an unsupported Content-Type is 415 listing the accepted media types', async () => {
  const message = 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf';
  assertStatus(await post(CM, '{"metadata":{"name":"as-text"}}', 'text/plain'), 415, 'UnsupportedMediaType', message);
  assertStatus(await post(CM, '{"metadata":{"name":"as-text"}}', 'text/yaml'), 415, 'UnsupportedMediaType', message);
  await assertConfigMapAbsent('as-text');
  const put = await server.request('PUT', `${CM}/as-text`, { body: '{}', contentType: 'application/x-www-form-urlencoded' });
  assertStatus(put, 415, 'UnsupportedMediaType', message);
});

test('a create in a namespace that does not exist is 404 for the namespace', async () => {
  const s = assertStatus(await post('/api/v1/namespaces/x/configmaps', JSON.stringify({ metadata: { name: 'orphan' } })), 404, 'NotFound', 'namespaces "x" not found');
  assert.deepEqual(s.details, { name: 'x', kind: 'namespaces' });
});

test('a PUT with a stale resourceVersion is 409 Conflict, and a duplicate create 409 AlreadyExists', async () => {
  const created = await post(CM, JSON.stringify({ metadata: { name: 'occ' }, data: { v: '1' } }));
  assert.equal(created.status, 201, created.body);
  const stale = created.json();
  const fresh = await server.request('PUT', `${CM}/occ`, { body: JSON.stringify({ ...stale, data: { v: '2' } }) });
  assert.equal(fresh.status, 200, fresh.body);
  assert.notEqual(fresh.json().metadata.resourceVersion, stale.metadata.resourceVersion);
  const s = assertStatus(await server.request('PUT', `${CM}/occ`, { body: JSON.stringify({ ...stale, data: { v: '3' } }) }), 409, 'Conflict',
    'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again');
  assert.deepEqual(s.details, { name: 'occ', kind: 'configmaps' });
  assert.deepEqual((await server.request('GET', `${CM}/occ`)).json().data, { v: '2' });

  const dup = assertStatus(await post(CM, JSON.stringify({ metadata: { name: 'occ' } })), 409, 'AlreadyExists', 'configmaps "occ" already exists');
  assert.deepEqual(dup.details, { name: 'occ', kind: 'configmaps' });
  assert.deepEqual((await server.request('GET', `${CM}/occ`)).json().data, { v: '2' });
});

test('a PUT whose body names another object, or none, is a 400', async () => {
  assert.equal((await post(CM, JSON.stringify({ metadata: { name: 'named' } }))).status, 201);
  assertStatus(await server.request('PUT', `${CM}/named`, { body: JSON.stringify({ metadata: { name: 'other' } }) }), 400, 'BadRequest',
    'the name of the object (other) does not match the name on the URL (named)');
  assertStatus(await server.request('PUT', `${CM}/named`, { body: JSON.stringify({ data: { a: 'b' } }) }), 400, 'BadRequest',
    'the name of the object (named based on URL) was undeterminable: name must be provided');
  assertStatus(await server.request('PUT', `${CM}/named`, { body: JSON.stringify({ metadata: { name: 'named', namespace: 'default' } }) }), 400, 'BadRequest',
    'the namespace of the provided object does not match the namespace sent on the request');
});

test('an unknown resource path is 404', async () => {
  for (const path of [`/api/v1/namespaces/${NS}/widgets`, '/apis/example.com/v1/widgets', '/api/v1/widgets/x']) {
    assertStatus(await server.request('GET', path), 404, 'NotFound', 'the server could not find the requested resource');
  }
});

test('a verb the resource does not serve is 405', async () => {
  // Upstream's router has no POST on a named object and no DELETE on the namespaces collection.
  const message = 'the server does not allow this method on the requested resource';
  assertStatus(await post(`${CM}/some-name`, JSON.stringify({ metadata: { name: 'some-name' } })), 405, 'MethodNotAllowed', message);
  assertStatus(await server.request('DELETE', '/api/v1/namespaces'), 405, 'MethodNotAllowed', message);
});

test('a verb the resource does not serve is 405 and changes nothing', async () => {
  const r = await post(`${CM}/some-name`, JSON.stringify({ metadata: { name: 'some-name' } }));
  assert.equal(r.status, 405, r.body);
  assert.equal(r.json().reason, 'MethodNotAllowed');
  await assertConfigMapAbsent('some-name');
  const d = await server.request('DELETE', '/api/v1/namespaces');
  assert.equal(d.status, 405, d.body);
  assert.equal((await server.request('GET', `/api/v1/namespaces/${NS}`)).status, 200);
});

test('a request without a client certificate is 401, except the health checks', async () => {
  for (const path of ['/api', '/api/v1/namespaces', `${CM}/occ`, '/version']) {
    assertStatus(await server.request('GET', path, { anonymous: true }), 401, 'Unauthorized', 'Unauthorized');
  }
  assertStatus(await server.request('POST', CM, { anonymous: true, body: JSON.stringify({ metadata: { name: 'anon' } }) }), 401, 'Unauthorized', 'Unauthorized');
  await assertConfigMapAbsent('anon');
  for (const path of ['/healthz', '/livez', '/readyz']) {
    const r = await server.request('GET', path, { anonymous: true });
    assert.equal(r.status, 200, `${path}: ${r.body}`);
    assert.equal(r.body, 'ok');
  }
});

test('dryRun=All answers as a create would and stores nothing', async () => {
  const r = await post(CM, JSON.stringify({ metadata: { name: 'dry' }, data: { a: 'b' } }), undefined, '?dryRun=All');
  assert.equal(r.status, 201, r.body);
  const obj = r.json();
  assert.equal(obj.metadata.name, 'dry');
  assert.equal(obj.metadata.namespace, NS);
  assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.match(obj.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(obj.metadata.resourceVersion, undefined);
  await assertConfigMapAbsent('dry');
  const list = (await server.request('GET', CM)).json();
  assert.ok(!list.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'dry'));
  // A dry-run create is still validated.
  assertStatus(await post(CM, JSON.stringify({ metadata: { name: 'Dry_Bad' } }), undefined, '?dryRun=All'), 422, 'Invalid',
    'ConfigMap "Dry_Bad" is invalid: metadata.name: Invalid value: "Dry_Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')');
});

test('a dry-run create of a name that exists is 409 AlreadyExists', async () => {
  assert.equal((await post(CM, JSON.stringify({ metadata: { name: 'dry-exists' } }))).status, 201);
  assertStatus(await post(CM, JSON.stringify({ metadata: { name: 'dry-exists' } }), undefined, '?dryRun=All'), 409, 'AlreadyExists', 'configmaps "dry-exists" already exists');
});

test('an invalid dryRun value is 422 on CreateOptions (UpdateOptions for PUT) and stores nothing', async () => {
  const s = assertStatus(await post(CM, JSON.stringify({ metadata: { name: 'dry-bogus' } }), undefined, '?dryRun=Bogus'), 422, 'Invalid',
    'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"');
  assert.deepEqual(s.details, {
    group: 'meta.k8s.io', kind: 'CreateOptions',
    causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: []string{"Bogus"}: supported values: "All"', field: 'dryRun' }],
  });
  await assertConfigMapAbsent('dry-bogus');
  // Options are checked before the body is decoded.
  assertStatus(await post(CM, '{not json', undefined, '?dryRun=All&dryRun=Bogus'), 422, 'Invalid',
    'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "Bogus"}: supported values: "All"');
  assertStatus(await server.request('PUT', `${CM}/occ?dryRun=Bogus`, { body: '{}' }), 422, 'Invalid',
    'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"');
});

test('a labelSelector that does not parse is a 400 with the parser\'s message', async () => {
  assertStatus(await server.request('GET', `${CM}?labelSelector=${encodeURIComponent('a b')}`), 400, 'BadRequest',
    "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  assertStatus(await server.request('GET', `${CM}?labelSelector=${encodeURIComponent('a in (x')}`), 400, 'BadRequest',
    "unable to parse requirement: found '', expected: ',' or ')'");
});

test('a labelSelector error outside a requirement is not worded as one', async () => {
  assertStatus(await server.request('GET', `${CM}?labelSelector=${encodeURIComponent('a,,b')}`), 400, 'BadRequest',
    "found ',', expected: identifier after ','");
  assertStatus(await server.request('GET', `${CM}?labelSelector=${encodeURIComponent('a=b c')}`), 400, 'BadRequest',
    "found 'c', expected: ',' or 'end of string'");
});
