/**
 * Pod binding (what the scheduler does): POST pods/{name}/binding, or POST bindings in the pod's
 * namespace, with a Binding whose target names a node. Sets spec.nodeName once (409 if the pod is
 * already bound elsewhere) and the PodScheduled condition, like kube's BindingREST.
 */
import type { ApiContext, WriteOptions } from './context.js';
import type { Served } from './registry.js';
import { kubeBadRequest, kubeConflict, kubeInvalid } from './kube-errors.js';
import { deepClone, isPlainObject, nowTimestamp } from './object-meta.js';
import { writeUpdate } from './writes.js';
import { isBerthError } from '../../base/errors.js';
import { conflictBackoff, CONFLICT_RETRY_LIMIT } from './conflict-retry.js';

export async function bindPod(ctx: ApiContext, pods: Served, namespace: string, podName: string | undefined, body: unknown, opts: WriteOptions): Promise<object> {
  const binding = isPlainObject(body) ? body : {};
  const meta = isPlainObject(binding.metadata) ? binding.metadata : {};
  const name = podName ?? (typeof meta.name === 'string' ? meta.name : '');
  if (!name) throw kubeInvalid('Binding', '', '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  if (podName !== undefined && meta.name !== undefined && meta.name !== podName) throw kubeBadRequest('name in URL does not match name in Binding object');
  const target = isPlainObject(binding.target) ? binding.target : {};
  if (typeof target.name !== 'string' || target.name === '') throw kubeInvalid('Binding', '', name, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }]);
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') throw kubeInvalid('Binding', '', name, [{ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node"`, field: 'target.kind' }]);
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.store.mustGet(pods.info, namespace, name);
    const pod = deepClone(current.obj);
    const spec = isPlainObject(pod.spec) ? pod.spec : (pod.spec = {});
    if (pod.metadata.deletionTimestamp) throw kubeConflict({ group: '', plural: 'pods', name }, 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw kubeConflict({ group: '', plural: 'pods', name }, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
    if (typeof meta.uid === 'string' && meta.uid !== '' && meta.uid !== pod.metadata.uid) throw kubeConflict({ group: '', plural: 'pods', name }, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${String(pod.metadata.uid)}`);
    spec.nodeName = target.name;
    const status = isPlainObject(pod.status) ? pod.status : (pod.status = {});
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter((c) => !(isPlainObject(c) && c.type === 'PodScheduled'));
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() });
    status.conditions = conditions;
    // Binding writes spec and status together; it goes through the update path as the status subresource
    // cannot touch spec, so the spec change is applied on top of the prepared status write.
    try {
      await writeUpdate(ctx, pods, { ...pod }, current.obj, current.modRevision, { ...opts, unknownFieldsChecked: true }, 'binding');
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    } catch (err) {
      if (attempt < CONFLICT_RETRY_LIMIT && isBerthError(err, 'Conflict') && !(err.message.includes('already assigned'))) {
        await conflictBackoff(attempt);
        continue;
      }
      throw err;
    }
  }
}
