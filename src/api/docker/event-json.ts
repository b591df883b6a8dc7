/**
 * Docker's event messages (`GET /events`) and its event filters, as moby's daemon/events/filter.go
 * applies them: every filter key must match; values of one key are OR'ed; `container`,
 * `network` and `volume` match the actor's id (or an id prefix) or its name; `image` matches
 * the image id or name with or without its tag; `label` matches the actor's attributes.
 */
import { invalidArgument } from '../../base/errors.js';
import type { Filters } from './filters.js';

export type EventType = 'container' | 'image' | 'network' | 'volume';
export const EVENT_TYPES: readonly EventType[] = ['container', 'image', 'network', 'volume'];
export const EVENT_FILTERS = ['container', 'image', 'event', 'type', 'label', 'network', 'volume', 'scope'] as const;

export interface EventMessage {
  status?: string; // legacy fields, containers and images only
  id?: string;
  from?: string;
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number; // unix seconds
  timeNano: number;
}

export function eventMessage(type: EventType, action: string, actorId: string, attributes: Record<string, string>, timeNano: bigint): EventMessage {
  const legacy = type === 'container' ? { status: action, id: actorId, from: attributes.image ?? '' } : type === 'image' ? { status: action, id: actorId } : {};
  return {
    ...legacy,
    Type: type,
    Action: action,
    Actor: { ID: actorId, Attributes: attributes },
    scope: 'local',
    time: Number(timeNano / 1_000_000_000n),
    timeNano: Number(timeNano),
  };
}

const stripTag = (ref: string) => {
  const at = ref.indexOf('@');
  if (at >= 0) return ref.slice(0, at);
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
};

function labelMatches(attrs: Record<string, string>, expr: string): boolean {
  const eq = expr.indexOf('=');
  if (eq < 0) return expr in attrs;
  return attrs[expr.slice(0, eq)] === expr.slice(eq + 1);
}

/** Docker's "fuzzy" match: the whole value or a prefix of the actor's id; the name exactly. */
function actorMatches(values: string[] | undefined, ev: EventMessage, type: EventType): boolean {
  if (!values?.length) return true;
  if (ev.Type !== type) return false;
  const name = ev.Actor.Attributes.name ?? '';
  return values.some((v) => ev.Actor.ID.startsWith(v) || name === v || name === v.replace(/^\//, ''));
}

function imageMatches(values: string[] | undefined, ev: EventMessage): boolean {
  if (!values?.length) return true;
  if (ev.Type !== 'image' && ev.Type !== 'container') return false;
  const name = ev.Actor.Attributes[ev.Type === 'image' ? 'name' : 'image'] ?? '';
  const candidates = [ev.Actor.ID, name, stripTag(name), ev.Actor.ID.replace(/^sha256:/, '')];
  return values.some((v) => candidates.includes(v) || candidates.includes(stripTag(v)) && !v.includes(':'));
}

export function eventMatches(ev: EventMessage, filters: Filters): boolean {
  const get = (k: string) => filters.get(k);
  const events = get('event');
  if (events?.length && !events.some((e) => e === ev.Action || ev.Action.startsWith(`${e}:`))) return false;
  const types = get('type');
  if (types?.length && !types.includes(ev.Type)) return false;
  const scopes = get('scope');
  if (scopes?.length && !scopes.includes('local')) return false;
  if (!actorMatches(get('container'), ev, 'container')) return false;
  if (!actorMatches(get('network'), ev, 'network')) return false;
  if (!actorMatches(get('volume'), ev, 'volume')) return false;
  if (!imageMatches(get('image'), ev)) return false;
  const labels = get('label');
  if (labels?.length && !labels.every((l) => labelMatches(ev.Actor.Attributes, l))) return false;
  return true;
}

/** `since`/`until`: unix seconds with an optional fraction ("1700000000.5"), or an RFC 3339 time. */
export function parseEventTime(raw: string | null, what: string): bigint | undefined {
  if (raw === null || raw === '') return undefined;
  const ms = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
  if (!Number.isFinite(ms)) throw invalidArgument(`invalid ${what} value ${JSON.stringify(raw)}: expected unix seconds or an RFC 3339 time`);
  return BigInt(Math.round(ms)) * 1_000_000n;
}
