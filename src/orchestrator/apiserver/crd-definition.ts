/**
 * CustomResourceDefinitions: validation of the definition itself (names, scope, versions with
 * exactly one storage version, structural schemas), the status the apiserver maintains on it
 * (NamesAccepted, Established, storedVersions), and the served resource it turns into.
 */
import type { ResourceInfo, SubresourceInfo } from '../../api/k8s/resources/index.js';
import { READ_WRITE_VERBS, STATUS_VERBS } from '../../api/k8s/resources/index.js';
import type { StatusCause } from './kube-errors.js';
import { isPlainObject, nowTimestamp, type KObject } from './object-meta.js';
import { structuralProblems, type Schema } from './crd-schema.js';

export interface PrinterColumn { name: string; type: string; jsonPath: string; description?: string; priority?: number; format?: string }
export interface ScaleSpec { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string }

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: Schema | null;
  columns: PrinterColumn[];
  status: boolean;
  scale: ScaleSpec | null;
}

export interface CrdServing { crdName: string; group: string; storageVersion: string; versions: Map<string, CrdVersion>; infos: ResourceInfo[] }

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/** Defaults the apiextensions API applies to a CRD (singular, listKind, conversion). */
export function defaultCrd(crd: KObject): void {
  const spec = isPlainObject(crd.spec) ? crd.spec : (crd.spec = {});
  const names = isPlainObject(spec.names) ? spec.names : undefined;
  if (names && typeof names.kind === 'string') {
    if (names.singular === undefined) names.singular = names.kind.toLowerCase();
    if (names.listKind === undefined) names.listKind = `${names.kind}List`;
  }
  if (spec.conversion === undefined) spec.conversion = { strategy: 'None' };
}

export function validateCrd(crd: KObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const req = (field: string) => causes.push({ reason: 'FieldValueRequired', message: 'Required value', field });
  const bad = (field: string, value: unknown, why: string) => causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${why}`, field });
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const group = spec.group;
  const names = isPlainObject(spec.names) ? spec.names : {};
  if (typeof group !== 'string' || group === '') req('spec.group');
  else if (!DNS_SUBDOMAIN.test(group) || !group.includes('.')) bad('spec.group', group, 'should be a domain with at least one dot');
  if (typeof names.plural !== 'string' || names.plural === '') req('spec.names.plural');
  else if (!DNS_LABEL.test(names.plural)) bad('spec.names.plural', names.plural, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\'');
  if (typeof names.kind !== 'string' || names.kind === '') req('spec.names.kind');
  else if (!KIND.test(names.kind)) bad('spec.names.kind', names.kind, 'must be a valid kind name');
  if (typeof names.singular === 'string' && !DNS_LABEL.test(names.singular)) bad('spec.names.singular', names.singular, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\'');
  if (typeof names.plural === 'string' && typeof group === 'string' && crd.metadata.name !== `${names.plural}.${group}`) bad('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"`, field: 'spec.scope' });
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) req('spec.versions');
  const seen = new Set<string>();
  let storageCount = 0;
  versions.forEach((v, i) => {
    const p = `spec.versions[${i}]`;
    if (!isPlainObject(v)) return bad(p, v, 'must be an object');
    if (typeof v.name !== 'string' || !DNS_LABEL.test(v.name)) bad(`${p}.name`, v.name, 'must be a DNS-1035 label');
    else if (seen.has(v.name)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(v.name)}`, field: `${p}.name` });
    else seen.add(v.name);
    if (v.storage === true) storageCount++;
    if (typeof v.served !== 'boolean') req(`${p}.served`);
    const schema = isPlainObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    causes.push(...structuralProblems(schema, `${p}.schema.openAPIV3Schema`));
    const sub = isPlainObject(v.subresources) ? v.subresources : {};
    if (isPlainObject(sub.scale)) {
      if (typeof sub.scale.specReplicasPath !== 'string' || !sub.scale.specReplicasPath.startsWith('.spec.')) bad(`${p}.subresources.scale.specReplicasPath`, sub.scale.specReplicasPath, 'should be a json path under .spec');
      if (typeof sub.scale.statusReplicasPath !== 'string' || !sub.scale.statusReplicasPath.startsWith('.status.')) bad(`${p}.subresources.scale.statusReplicasPath`, sub.scale.statusReplicasPath, 'should be a json path under .status');
    }
  });
  if (versions.length > 0 && storageCount !== 1) bad('spec.versions', storageCount, 'must have exactly one version marked as storage version');
  return causes;
}

/** Status the apiserver writes on a CRD it accepted and serves. */
export function establishedStatus(crd: KObject, previous?: unknown): Record<string, unknown> {
  const spec = crd.spec as Record<string, unknown>;
  const versions = spec.versions as Array<Record<string, unknown>>;
  const storage = String(versions.find((v) => v.storage === true)?.name);
  const prevStored = isPlainObject(previous) && Array.isArray(previous.storedVersions) ? (previous.storedVersions as string[]) : [];
  const now = nowTimestamp();
  return {
    acceptedNames: spec.names,
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
    storedVersions: prevStored.includes(storage) ? prevStored : [...prevStored, storage],
  };
}

/** Turns a (validated) CRD into the resources it serves, one per served version. */
export function crdServing(crd: KObject): CrdServing {
  const spec = crd.spec as Record<string, unknown>;
  const names = spec.names as Record<string, unknown>;
  const group = String(spec.group);
  const versions = new Map<string, CrdVersion>();
  const infos: ResourceInfo[] = [];
  let storageVersion = '';
  for (const v of spec.versions as Array<Record<string, unknown>>) {
    const sub = isPlainObject(v.subresources) ? v.subresources : {};
    const scale = isPlainObject(sub.scale) ? (sub.scale as unknown as ScaleSpec) : null;
    const version: CrdVersion = {
      name: String(v.name),
      served: v.served === true,
      storage: v.storage === true,
      schema: isPlainObject(v.schema) && isPlainObject(v.schema.openAPIV3Schema) ? (v.schema.openAPIV3Schema as Schema) : null,
      columns: Array.isArray(v.additionalPrinterColumns) ? (v.additionalPrinterColumns as PrinterColumn[]) : [],
      status: isPlainObject(sub.status),
      scale,
    };
    if (version.storage) storageVersion = version.name;
    versions.set(version.name, version);
    if (!version.served) continue;
    const subresources: SubresourceInfo[] = [];
    if (scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: STATUS_VERBS });
    if (version.status) subresources.push({ name: 'status', kind: String(names.kind), verbs: STATUS_VERBS });
    infos.push({
      group,
      version: version.name,
      kind: String(names.kind),
      listKind: String(names.listKind ?? `${String(names.kind)}List`),
      plural: String(names.plural),
      singular: String(names.singular ?? String(names.kind).toLowerCase()),
      shortNames: Array.isArray(names.shortNames) ? (names.shortNames as string[]) : [],
      namespaced: spec.scope === 'Namespaced',
      verbs: READ_WRITE_VERBS,
      categories: Array.isArray(names.categories) ? (names.categories as string[]) : [],
      subresources,
    });
  }
  return { crdName: crd.metadata.name!, group, storageVersion, versions, infos };
}
