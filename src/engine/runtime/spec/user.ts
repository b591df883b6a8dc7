/**
 * Resolves a Docker `--user` value ("uid", "uid:gid", "name", "name:group", or "") against the
 * image's own /etc/passwd and /etc/group, like runc's GetExecUser: a passwd match gives uid, gid
 * and home; an unknown number is used as is (gid 0); an unknown name is an error. Supplementary
 * groups are the /etc/group entries listing the user, unless a group was given explicitly.
 */
import { invalidArgument } from '../../../base/errors.js';
import { readRootfsFile } from './secure-path.js';

export interface ResolvedUser { uid: number; gid: number; additionalGids: number[]; home: string }

interface PasswdEntry { name: string; uid: number; gid: number; home: string }
interface GroupEntry { name: string; gid: number; members: string[] }

const maxId = 2147483647;

function parseId(s: string): number | null {
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  if (n > maxId) throw invalidArgument(`uids and gids must be in range 0-${maxId}: ${s}`);
  return n;
}

function lines(text: string | null): string[][] {
  if (!text) return [];
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('+') && !l.startsWith('-'))
    .map((l) => l.split(':'));
}

export function parsePasswd(text: string | null): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const f of lines(text)) {
    const uid = /^\d+$/.test(f[2] ?? '') ? Number(f[2]) : NaN;
    const gid = /^\d+$/.test(f[3] ?? '') ? Number(f[3]) : NaN;
    if (!f[0] || Number.isNaN(uid) || Number.isNaN(gid)) continue;
    out.push({ name: f[0], uid, gid, home: f[5] || '/' });
  }
  return out;
}

export function parseGroup(text: string | null): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const f of lines(text)) {
    const gid = /^\d+$/.test(f[2] ?? '') ? Number(f[2]) : NaN;
    if (!f[0] || Number.isNaN(gid)) continue;
    out.push({ name: f[0], gid, members: (f[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return out;
}

/** Resolves `user` against `<rootfs>/etc/passwd` and `<rootfs>/etc/group` (symlinks stay inside the rootfs). */
export function resolveUser(rootfs: string, user: string): ResolvedUser {
  const spec = user.trim();
  const colon = spec.indexOf(':');
  const userArg = (colon < 0 ? spec : spec.slice(0, colon)) || '0';
  const groupArg = colon < 0 ? '' : spec.slice(colon + 1);
  if (colon >= 0 && groupArg === '') throw invalidArgument(`invalid user ${JSON.stringify(user)}: empty group`);

  const passwd = parsePasswd(readRootfsFile(rootfs, '/etc/passwd'));
  const userNum = parseId(userArg);
  const entry = passwd.find((e) => e.name === userArg || (userNum !== null && e.uid === userNum));
  let uid: number;
  let gid = 0;
  let home = '/';
  let name = '';
  if (entry) {
    ({ uid, gid, home, name } = entry);
  } else if (userNum !== null) {
    uid = userNum;
  } else {
    throw invalidArgument(`unable to find user ${userArg}: no matching entries in passwd file`);
  }

  const needGroups = groupArg !== '' || name !== '';
  const groups = needGroups ? parseGroup(readRootfsFile(rootfs, '/etc/group')) : [];
  const additionalGids: number[] = [];
  if (groupArg !== '') {
    const groupNum = parseId(groupArg);
    const g = groups.find((e) => e.name === groupArg || (groupNum !== null && e.gid === groupNum));
    if (g) gid = g.gid;
    else if (groupNum !== null) gid = groupNum;
    else throw invalidArgument(`unable to find group ${groupArg}: no matching entries in group file`);
  } else if (name !== '') {
    for (const g of groups) if (g.members.includes(name) && !additionalGids.includes(g.gid)) additionalGids.push(g.gid);
  }
  return { uid, gid, additionalGids, home };
}
