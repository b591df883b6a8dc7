/** A pod's QoS class from its containers' requests and limits (kube's GetPodQOS, simplified to cpu/memory). */
import { isPlainObject } from './object-meta.js';
import { parseQuantity } from '../../api/k8s/validation/index.js';

export function podQosClass(spec: unknown): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const s = isPlainObject(spec) ? spec : {};
  const containers = [...(Array.isArray(s.containers) ? s.containers : []), ...(Array.isArray(s.initContainers) ? s.initContainers : [])].filter(isPlainObject);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = isPlainObject(c.resources) ? c.resources : {};
    const req = isPlainObject(res.requests) ? res.requests : {};
    const lim = isPlainObject(res.limits) ? res.limits : {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && parseQuantity(req[r]) !== parseQuantity(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
