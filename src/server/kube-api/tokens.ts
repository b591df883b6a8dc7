/**
 * Static bearer tokens in kube-apiserver's --token-auth-file format, one per line:
 *   token,user,uid,"group1,group2"
 * (the groups column is optional; blank lines and lines starting with # are ignored). The file is
 * re-read when its modification time changes, so tokens can be added without a restart.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { UserInfo } from '../../orchestrator/apiserver/types.js';

export const ADMIN_USER = 'admin';
export const ADMIN_GROUPS = ['system:masters'];

export interface TokenEntry { token: string; name: string; uid: string; groups: string[] }

/** Splits one CSV line, honouring double quotes ("" inside quotes is a literal quote). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

export function parseTokenFile(text: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [token, name, uid, groups] = csvFields(line);
    // A row without token or user would authenticate nobody (or everybody); skip it.
    if (!token || !name) continue;
    entries.push({ token, name, uid: uid ?? '', groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] });
  }
  return entries;
}

export function formatTokenLine(e: TokenEntry): string {
  return `${e.token},${e.name},${e.uid},"${e.groups.join(',')}"\n`;
}

/** Looks tokens up in a file, re-reading it when it changes (checked at most once a second). */
export class TokenFile {
  private entries: TokenEntry[] = [];
  private mtimeMs = -1;
  private checkedAt = 0;

  constructor(private readonly file: string, private readonly log: (m: string) => void = () => {}) {
    this.refresh(true);
  }

  private refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    try {
      const st = fs.statSync(this.file);
      if (st.mtimeMs === this.mtimeMs) return;
      this.entries = parseTokenFile(fs.readFileSync(this.file, 'utf8'));
      this.mtimeMs = st.mtimeMs;
    } catch (err) {
      // A vanished or unreadable file means no token is valid (fail closed), not a crash.
      if (this.entries.length > 0 || this.mtimeMs !== -2) this.log(`kube-api: cannot read token file ${this.file}: ${(err as Error).message}`);
      this.entries = [];
      this.mtimeMs = -2;
    }
  }

  /** The user a token names, or null. Compared in constant time per entry. */
  lookup(token: string): UserInfo | null {
    this.refresh();
    const given = crypto.createHash('sha256').update(token).digest();
    for (const e of this.entries) {
      const want = crypto.createHash('sha256').update(e.token).digest();
      if (crypto.timingSafeEqual(given, want)) return { name: e.name, groups: e.groups, ...(e.uid ? { uid: e.uid } : {}) };
    }
    return null;
  }
}
