/**
 * apps/v1 and batch/v1 workloads: defaults (replicas, strategies, history limits, deadlines, job
 * completions/backoff) and rules (selector required and matching the template labels, pod template
 * valid, restartPolicy allowed for the kind, immutable selectors).
 */
import { type FieldCause, immutable, invalid, isObj, notSupported, required, forbidden } from './causes.js';
import { defaultPodSpec, validatePodSpec } from './pods.js';
import { selectorMatches, validateLabelSelector } from './selectors.js';
import { validateLabels } from './names.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

function defaultTemplate(template: unknown, restart = 'Always'): void {
  if (!isObj(template)) return;
  template.metadata ??= {};
  if (isObj(template.metadata) && template.metadata.creationTimestamp === undefined) template.metadata.creationTimestamp = null;
  if (isObj(template.spec)) defaultPodSpec(template.spec, restart);
}

export function defaultWorkload(kind: string, o: Obj, uid?: string): void {
  const spec = isObj(o.spec) ? o.spec : (o.spec = {});
  switch (kind) {
    case 'Deployment':
      spec.replicas ??= 1;
      spec.strategy ??= { type: 'RollingUpdate' };
      if (isObj(spec.strategy) && spec.strategy.type === undefined) spec.strategy.type = 'RollingUpdate';
      if (isObj(spec.strategy) && spec.strategy.type === 'RollingUpdate') {
        const ru = isObj(spec.strategy.rollingUpdate) ? spec.strategy.rollingUpdate : (spec.strategy.rollingUpdate = {});
        ru.maxUnavailable ??= '25%';
        ru.maxSurge ??= '25%';
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      defaultTemplate(spec.template);
      break;
    case 'ReplicaSet':
    case 'ReplicationController':
      spec.replicas ??= 1;
      if (kind === 'ReplicationController' && spec.selector === undefined && isObj(spec.template) && isObj(spec.template.metadata) && isObj(spec.template.metadata.labels)) spec.selector = { ...spec.template.metadata.labels };
      defaultTemplate(spec.template);
      break;
    case 'StatefulSet':
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(spec.template);
      break;
    case 'DaemonSet':
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      spec.revisionHistoryLimit ??= 10;
      defaultTemplate(spec.template);
      break;
    case 'Job':
      defaultJobSpec(spec, o, uid);
      break;
    case 'CronJob': {
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      const jt = obj(spec.jobTemplate);
      if (isObj(jt.spec)) defaultJobSpec(jt.spec, undefined, undefined);
      break;
    }
  }
}

function defaultJobSpec(spec: Obj, job: Obj | undefined, uid: string | undefined): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  defaultTemplate(spec.template, 'Never');
  // A job owns its pods through a generated selector on its own uid (unless manualSelector).
  if (job && uid && spec.manualSelector !== true && spec.selector === undefined) {
    const name = String(obj(job.metadata).name ?? '');
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    const t = obj(spec.template);
    const meta = isObj(t.metadata) ? t.metadata : (t.metadata = {});
    meta.labels = { ...obj(meta.labels), 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
  }
}

function validateTemplate(spec: Obj, field: string, restartAllowed: string[], checkSelector: boolean): FieldCause[] {
  const out: FieldCause[] = [];
  const template = spec.template;
  if (!isObj(template)) return [required(`${field}.template`)];
  const labels = obj(obj(template.metadata).labels) as Record<string, string>;
  out.push(...validateLabels(obj(template.metadata).labels, `${field}.template.metadata.labels`));
  if (checkSelector && isObj(spec.selector) && !selectorMatches(spec.selector, labels)) {
    out.push(invalid(`${field}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
  }
  out.push(...validatePodSpec(template.spec, `${field}.template.spec`));
  const rp = obj(template.spec).restartPolicy;
  if (rp !== undefined && !restartAllowed.includes(String(rp))) out.push(notSupported(`${field}.template.spec.restartPolicy`, rp, restartAllowed));
  return out;
}

function nonNegative(v: unknown, field: string): FieldCause[] {
  if (v === undefined) return [];
  return !Number.isInteger(v) || (v as number) < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : [];
}

export function validateWorkload(kind: string, o: Obj): FieldCause[] {
  const spec = o.spec;
  if (!isObj(spec)) return [required('spec')];
  const out: FieldCause[] = [];
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      out.push(...validateLabelSelector(spec.selector, 'spec.selector', true));
      out.push(...nonNegative(spec.replicas, 'spec.replicas'));
      out.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
      out.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
      out.push(...validateTemplate(spec, 'spec', ['Always'], true));
      if (kind === 'Deployment') {
        const st = obj(spec.strategy);
        if (st.type !== undefined && !['Recreate', 'RollingUpdate'].includes(String(st.type))) out.push(notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
        if (st.type === 'Recreate' && st.rollingUpdate !== undefined) out.push(forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
        if (typeof spec.progressDeadlineSeconds === 'number' && typeof spec.minReadySeconds === 'number' && spec.progressDeadlineSeconds <= spec.minReadySeconds) out.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
      }
      if (kind === 'StatefulSet' && spec.podManagementPolicy !== undefined && !['OrderedReady', 'Parallel'].includes(String(spec.podManagementPolicy))) out.push(notSupported('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']));
      break;
    case 'ReplicationController':
      out.push(...nonNegative(spec.replicas, 'spec.replicas'));
      if (!isObj(spec.selector) || Object.keys(spec.selector).length === 0) out.push(required('spec.selector'));
      else out.push(...validateTemplate({ ...spec, selector: { matchLabels: spec.selector } }, 'spec', ['Always'], true));
      break;
    case 'Job':
      out.push(...validateJobSpec(spec, 'spec', true));
      break;
    case 'CronJob': {
      if (typeof spec.schedule !== 'string' || spec.schedule.trim() === '') out.push(required('spec.schedule'));
      else if (!validCron(spec.schedule)) out.push(invalid('spec.schedule', spec.schedule, 'unparseable schedule'));
      if (spec.concurrencyPolicy !== undefined && !['Allow', 'Forbid', 'Replace'].includes(String(spec.concurrencyPolicy))) out.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
      const jt = obj(spec.jobTemplate);
      if (!isObj(jt.spec)) out.push(required('spec.jobTemplate.spec'));
      else out.push(...validateJobSpec(jt.spec, 'spec.jobTemplate.spec', false));
      break;
    }
  }
  return out;
}

function validateJobSpec(spec: Obj, field: string, selectorRequired: boolean): FieldCause[] {
  const out: FieldCause[] = [];
  out.push(...nonNegative(spec.parallelism, `${field}.parallelism`));
  out.push(...nonNegative(spec.completions, `${field}.completions`));
  out.push(...nonNegative(spec.backoffLimit, `${field}.backoffLimit`));
  if (spec.activeDeadlineSeconds !== undefined && (!Number.isInteger(spec.activeDeadlineSeconds) || (spec.activeDeadlineSeconds as number) <= 0)) out.push(invalid(`${field}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be greater than 0'));
  if (selectorRequired) out.push(...validateLabelSelector(spec.selector, `${field}.selector`, true));
  out.push(...validateTemplate(spec, field, ['OnFailure', 'Never'], selectorRequired && isObj(spec.selector)));
  return out;
}

/** Five standard cron fields (or a @macro), each made of numbers, names, ranges, steps, lists, * and ?. */
function validCron(s: string): boolean {
  const t = s.trim().replace(/^(CRON_)?TZ=\S+\s+/, '');
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every\s+\S+)$/.test(t)) return true;
  const fields = t.split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\w*?/,-]+$/.test(f));
}

const STS_MUTABLE = ['replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'ordinals', 'revisionHistoryLimit'];

export function validateWorkloadUpdate(kind: string, o: Obj, old: Obj): FieldCause[] {
  const out: FieldCause[] = [];
  const spec = obj(o.spec);
  const oldSpec = obj(old.spec);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(kind) && oldSpec.selector !== undefined && !same(spec.selector, oldSpec.selector)) {
    out.push(immutable('spec.selector', spec.selector));
  }
  if (kind === 'StatefulSet') {
    const changed = Object.keys({ ...spec, ...oldSpec }).filter((k) => !STS_MUTABLE.includes(k) && !same(spec[k], oldSpec[k]));
    if (changed.length > 0) out.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  if (kind === 'Job') {
    if (!same(spec.completions, oldSpec.completions) && spec.completionMode !== 'Indexed') out.push(immutable('spec.completions', spec.completions));
    if (!same(spec.template, oldSpec.template) && oldSpec.suspend !== true) out.push(immutable('spec.template', spec.template));
  }
  return out;
}
