import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApiPath } from './request-path.js';
import { wantsAggregated } from './discovery.js';
import { representationOf } from './representation.js';
import { checkAgainstSchema, structuralProblems } from './crd-schema.js';
import { compareKubeVersions } from './registry.js';

test('API paths: discovery, namespaced and cluster-scoped resources, subresources, legacy watch', () => {
  assert.deepEqual(parseApiPath('/api'), { type: 'root-api' });
  assert.deepEqual(parseApiPath('/apis'), { type: 'root-apis' });
  assert.deepEqual(parseApiPath('/apis/apps'), { type: 'group', group: 'apps' });
  assert.deepEqual(parseApiPath('/api/v1'), { type: 'group-version', group: '', version: 'v1' });
  assert.deepEqual(parseApiPath('/api/v1/namespaces/ns/pods/p/log'), { type: 'resource', group: '', version: 'v1', plural: 'pods', namespace: 'ns', name: 'p', subresource: 'log', legacyWatch: false });
  assert.deepEqual(parseApiPath('/api/v1/namespaces/ns'), { type: 'resource', group: '', version: 'v1', plural: 'namespaces', name: 'ns', legacyWatch: false });
  assert.deepEqual(parseApiPath('/api/v1/namespaces/ns/finalize'), { type: 'resource', group: '', version: 'v1', plural: 'namespaces', name: 'ns', subresource: 'finalize', legacyWatch: false });
  assert.deepEqual(parseApiPath('/apis/apps/v1/watch/namespaces/ns/deployments'), { type: 'resource', group: 'apps', version: 'v1', plural: 'deployments', namespace: 'ns', legacyWatch: true });
  assert.deepEqual(parseApiPath('/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aadmin'), { type: 'resource', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', name: 'system:admin', legacyWatch: false });
  assert.deepEqual(parseApiPath('/api/v1/nodes/n/status/extra'), { type: 'unknown' });
  assert.deepEqual(parseApiPath('/metrics'), { type: 'unknown' });
});

test('Accept negotiation: aggregated discovery, Table, PartialObjectMetadata', () => {
  assert.equal(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'), 'v2');
  assert.equal(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'), 'v2beta1');
  assert.equal(wantsAggregated('application/json'), null);
  const q = new URLSearchParams();
  assert.deepEqual(representationOf('application/json;as=Table;v=v1;g=meta.k8s.io,application/json', q), { type: 'table', version: 'v1', include: 'Metadata' });
  assert.deepEqual(representationOf('application/json;as=Table;v=v1beta1;g=meta.k8s.io', new URLSearchParams('includeObject=Object')), { type: 'table', version: 'v1beta1', include: 'Object' });
  assert.deepEqual(representationOf('application/vnd.kubernetes.protobuf,application/json', q), { type: 'object' });
  assert.deepEqual(representationOf(undefined, q), { type: 'object' });
  assert.deepEqual(representationOf('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', q), { type: 'metadata', version: 'v1' });
});

test('CRD schemas: structural checks and value validation with pruning', () => {
  assert.deepEqual(structuralProblems({ type: 'object', properties: { a: { type: 'string' }, b: { 'x-kubernetes-int-or-string': true } } }, 'schema'), []);
  assert.deepEqual(structuralProblems({ type: 'object', properties: { a: {}, l: { type: 'array' }, p: { type: 'string', pattern: '(' } } }, 's').map((c) => c.field).sort(), ['s.properties[a].type', 's.properties[l].items', 's.properties[p].pattern']);
  assert.equal(structuralProblems(undefined, 's')[0]!.reason, 'FieldValueRequired');
  const schema = { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'number', exclusiveMinimum: true, minimum: 0 }, m: { type: 'object', additionalProperties: { type: 'string' } }, x: { type: 'string', nullable: true } } } } };
  const obj: any = { apiVersion: 'a/v1', kind: 'K', metadata: { name: 'x' }, spec: { n: 0, m: { a: 'b', c: 1 }, x: null, junk: 1 }, top: 1 };
  const r = checkAgainstSchema(schema, obj, '');
  assert.deepEqual(r.causes.map((c) => c.field).sort(), ['spec.m.c', 'spec.n']);
  assert.deepEqual(r.pruned.sort(), ['spec.junk', 'top']);
  assert.equal(obj.spec.junk, undefined);
  assert.equal(obj.metadata.name, 'x', 'metadata is never pruned');
  const embedded = { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } };
  const e: any = { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { any: 1 }, junk: 2 } };
  assert.deepEqual(checkAgainstSchema(embedded, e, '').pruned, ['template.junk']);
  assert.equal(e.template.kind, 'Pod');
});

test('version priority: GA, then beta, then alpha, higher numbers first', () => {
  assert.deepEqual(['v1alpha1', 'v1beta1', 'v1', 'v2beta1', 'v2', 'v1beta2', 'foo'].sort(compareKubeVersions), ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v1alpha1', 'foo']);
});
