/**
 * RFC 6902 JSON Patch (with RFC 6901 JSON pointers). The input document is never mutated: a failed
 * operation (bad op, missing path, failed `test`) throws InvalidArgument and leaves nothing changed.
 */
import { invalidArgument } from '../../../base/errors.js';
import { cloneJson, deepEqual, getOwn, isPlainObject, setOwn } from '../types.js';

/** "/a/b~1c/~0d" → ["a","b/c","~d"] */
export function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) throw invalidArgument(`json patch: path "${ptr}" must start with "/"`);
  return ptr.slice(1).split('/').map((s) => {
    if (/~[^01]|~$/.test(s)) throw invalidArgument(`json patch: path "${ptr}" has an invalid "~" escape`);
    return s.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

function arrayIndex(tok: string, len: number, forInsert: boolean, ptr: string): number {
  if (forInsert && tok === '-') return len;
  if (!/^(0|[1-9][0-9]*)$/.test(tok)) throw invalidArgument(`json patch: "${tok}" in path "${ptr}" is not a valid array index`);
  const i = Number(tok);
  if (i > len || (!forInsert && i === len)) throw invalidArgument(`json patch: index ${i} in path "${ptr}" is out of bounds`);
  return i;
}

/** Walks to the parent container of the pointer's last token. */
function parentOf(doc: unknown, toks: string[], ptr: string): unknown {
  let cur = doc;
  for (const t of toks.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false, ptr)];
    else if (isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) cur = getOwn(cur, t);
    else throw invalidArgument(`json patch: path "${ptr}" does not exist`);
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) throw invalidArgument(`json patch: path "${ptr}" does not name a location inside an object or array`);
  return cur;
}

function getAt(doc: unknown, ptr: string): unknown {
  const toks = parsePointer(ptr);
  if (toks.length === 0) return doc;
  const parent = parentOf(doc, toks, ptr);
  const last = toks[toks.length - 1]!;
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, false, ptr)];
  const o = parent as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(o, last)) throw invalidArgument(`json patch: path "${ptr}" does not exist`);
  return getOwn(o, last);
}

/** Returns the new root (the root changes when the path is ""). */
function addAt(doc: unknown, ptr: string, value: unknown): unknown {
  const toks = parsePointer(ptr);
  if (toks.length === 0) return value;
  const parent = parentOf(doc, toks, ptr);
  const last = toks[toks.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true, ptr), 0, value);
  else setOwn(parent as Record<string, unknown>, last, value);
  return doc;
}

function removeAt(doc: unknown, ptr: string): unknown {
  const toks = parsePointer(ptr);
  if (toks.length === 0) throw invalidArgument('json patch: cannot remove the whole document');
  const parent = parentOf(doc, toks, ptr);
  const last = toks[toks.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false, ptr), 1);
  else {
    const o = parent as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(o, last)) throw invalidArgument(`json patch: cannot remove "${ptr}": it does not exist`);
    delete o[last];
  }
  return doc;
}

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw invalidArgument('json patch: the patch must be a JSON array of operations');
  let out = cloneJson(doc);
  patch.forEach((op, i) => {
    if (!isPlainObject(op) || typeof op.op !== 'string') throw invalidArgument(`json patch: operation ${i} must be an object with an "op"`);
    if (typeof op.path !== 'string') throw invalidArgument(`json patch: operation ${i} (${op.op}) is missing a string "path"`);
    const needValue = () => {
      if (!Object.prototype.hasOwnProperty.call(op, 'value')) throw invalidArgument(`json patch: operation ${i} (${op.op}) is missing "value"`);
      return cloneJson(op.value);
    };
    const needFrom = () => {
      if (typeof op.from !== 'string') throw invalidArgument(`json patch: operation ${i} (${op.op}) is missing a string "from"`);
      return op.from;
    };
    switch (op.op) {
      case 'add': out = addAt(out, op.path, needValue()); break;
      case 'remove': out = removeAt(out, op.path); break;
      case 'replace': {
        const v = needValue();
        getAt(out, op.path); // must exist
        out = parsePointer(op.path).length === 0 ? v : addAt(removeAt(out, op.path), op.path, v);
        break;
      }
      case 'move': {
        const from = needFrom();
        if (op.path !== from && op.path.startsWith(`${from}/`)) throw invalidArgument(`json patch: cannot move "${from}" into its own child "${op.path}"`);
        const v = getAt(out, from);
        out = addAt(removeAt(out, from), op.path, v);
        break;
      }
      case 'copy': out = addAt(out, op.path, cloneJson(getAt(out, needFrom()))); break;
      case 'test': {
        const v = needValue();
        if (!deepEqual(getAt(out, op.path), v)) throw invalidArgument(`json patch: test operation ${i} failed: value at "${op.path}" is not ${JSON.stringify(v)}`);
        break;
      }
      default: throw invalidArgument(`json patch: operation ${i} has unknown op "${op.op}"`);
    }
  });
  return out;
}
