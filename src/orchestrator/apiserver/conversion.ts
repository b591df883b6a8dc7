/**
 * Version conversion between what a client reads/writes and what is stored, for the resources that
 * share storage: events.k8s.io/v1 Events are stored as core/v1 Events (so `kubectl describe` sees
 * what the new events API recorded), and autoscaling/v1 HorizontalPodAutoscalers are stored in the
 * autoscaling/v2 shape (targetCPUUtilizationPercentage ⇄ a cpu Utilization metric). Every other
 * resource is stored as served.
 */
import type { ResourceInfo } from '../../api/k8s/resources/index.js';
import { isPlainObject, type KObject } from './object-meta.js';

type Obj = Record<string, unknown>;

function compact(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function eventToCore(e: KObject): KObject {
  const src = isPlainObject(e.deprecatedSource) ? e.deprecatedSource : compact({ component: e.reportingController, host: e.reportingInstance });
  return compact({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    related: e.related,
    reason: e.reason,
    message: e.note,
    type: e.type,
    action: e.action,
    source: src,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    eventTime: e.eventTime,
    series: e.series,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
  }) as KObject;
}

function eventFromCore(c: KObject): KObject {
  const source = isPlainObject(c.source) ? c.source : {};
  return compact({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: c.metadata,
    eventTime: c.eventTime ?? null,
    series: c.series,
    reportingController: c.reportingComponent || source.component || undefined,
    reportingInstance: c.reportingInstance || source.host || undefined,
    action: c.action,
    reason: c.reason,
    regarding: c.involvedObject,
    related: c.related,
    note: c.message,
    type: c.type,
    deprecatedSource: Object.keys(source).length ? source : undefined,
    deprecatedFirstTimestamp: c.firstTimestamp,
    deprecatedLastTimestamp: c.lastTimestamp,
    deprecatedCount: c.count,
  }) as KObject;
}

const CPU_METRIC = (target: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });

function hpaV1ToV2(h: KObject): KObject {
  const spec = isPlainObject(h.spec) ? { ...h.spec } : {};
  const target = spec.targetCPUUtilizationPercentage;
  delete spec.targetCPUUtilizationPercentage;
  if (typeof target === 'number') spec.metrics = [CPU_METRIC(target)];
  const status = isPlainObject(h.status) ? { ...h.status } : undefined;
  if (status) {
    const current = status.currentCPUUtilizationPercentage;
    delete status.currentCPUUtilizationPercentage;
    if (typeof current === 'number') status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }];
  }
  return compact({ ...h, apiVersion: 'autoscaling/v2', spec, status }) as KObject;
}

function hpaV2ToV1(h: KObject): KObject {
  const spec = isPlainObject(h.spec) ? { ...h.spec } : {};
  const metrics = Array.isArray(spec.metrics) ? (spec.metrics as Obj[]) : [];
  delete spec.metrics;
  delete spec.behavior;
  const cpu = metrics.find((m) => m.type === 'Resource' && isPlainObject(m.resource) && m.resource.name === 'cpu');
  const target = cpu && isPlainObject(cpu.resource) && isPlainObject(cpu.resource.target) ? cpu.resource.target.averageUtilization : undefined;
  if (typeof target === 'number') spec.targetCPUUtilizationPercentage = target;
  let status: Obj | undefined;
  if (isPlainObject(h.status)) {
    status = { ...h.status };
    const cur = (Array.isArray(status.currentMetrics) ? (status.currentMetrics as Obj[]) : []).find((m) => isPlainObject(m.resource) && m.resource.name === 'cpu');
    delete status.currentMetrics;
    delete status.conditions;
    const v = cur && isPlainObject(cur.resource) && isPlainObject(cur.resource.current) ? cur.resource.current.averageUtilization : undefined;
    if (typeof v === 'number') status.currentCPUUtilizationPercentage = v;
  }
  return compact({ ...h, apiVersion: 'autoscaling/v1', spec, status }) as KObject;
}

const isEventsV1 = (info: ResourceInfo) => info.group === 'events.k8s.io' && info.kind === 'Event';
const isHpaV1 = (info: ResourceInfo) => info.group === 'autoscaling' && info.version === 'v1' && info.kind === 'HorizontalPodAutoscaler';

/** Served shape → stored shape. */
export function toStorage(info: ResourceInfo, obj: KObject): KObject {
  if (isEventsV1(info)) return eventToCore(obj);
  if (isHpaV1(info)) return hpaV1ToV2(obj);
  return obj;
}

/** Stored shape → served shape. */
export function fromStorage(info: ResourceInfo, obj: KObject): KObject {
  if (isEventsV1(info)) return eventFromCore(obj);
  if (isHpaV1(info)) return obj.apiVersion === 'autoscaling/v1' ? obj : hpaV2ToV1(obj);
  return obj;
}
