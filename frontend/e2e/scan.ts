// A raw byte scan of files as they lie on disk, for marker strings: what
// an attacker with the disk (or a backup of the home folder) would find.
// Nothing is decrypted or decompressed.
import { closeSync, lstatSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';

/** One way a marker could be written down. */
export interface Needle {
  marker: string;
  form: string;
  /** The bytes to look for, as a latin1 string (one char per byte). */
  bytes: string;
  /** Matched against the ASCII-lowercased bytes. */
  caseless: boolean;
}

/**
 * The forms a marker (ASCII letters and digits) is looked for in: UTF-8,
 * UTF-16 little- and big-endian, all in any letter case, and base64 at
 * each of the three byte alignments (case matters there).
 */
export function needles(markers: string[]): Needle[] {
  const out: Needle[] = [];
  for (const marker of markers) {
    if (!/^[\x21-\x7e ]+$/.test(marker)) throw new Error(`scan: marker ${JSON.stringify(marker)} is not printable ASCII`);
    const low = marker.toLowerCase();
    out.push({ marker, form: 'UTF-8', bytes: low, caseless: true });
    out.push({ marker, form: 'UTF-16LE', bytes: Buffer.from(low, 'utf16le').toString('latin1'), caseless: true });
    out.push({ marker, form: 'UTF-16BE', bytes: Buffer.from(low, 'utf16le').swap16().toString('latin1'), caseless: true });
    for (let k = 0; k < 3; k++) {
      // Characters whose six bits all come from the marker's bytes.
      const b64 = Buffer.concat([Buffer.alloc(k), Buffer.from(marker)]).toString('base64');
      const from = Math.ceil((8 * k) / 6);
      const to = Math.floor((8 * (k + marker.length)) / 6);
      out.push({ marker, form: `base64/${k}`, bytes: b64.slice(from, to), caseless: false });
    }
  }
  return out;
}

export interface Hit {
  file: string;
  marker: string;
  form: string;
  offset: number;
}

export interface Scan {
  files: string[];
  bytes: number;
  hits: Hit[];
  skipped: string[];
}

const chunkSize = 4 << 20;

/** Needles grouped by their first bytes: one indexOf pass per group. */
function groups(list: Needle[]): { key: string; caseless: boolean; members: Needle[] }[] {
  const out = new Map<string, { key: string; caseless: boolean; members: Needle[] }>();
  for (const nd of list) {
    const key = nd.bytes.slice(0, 3);
    const id = `${nd.caseless}:${key}`;
    if (!out.has(id)) out.set(id, { key, caseless: nd.caseless, members: [] });
    out.get(id)!.members.push(nd);
  }
  return [...out.values()];
}

/** Scans one regular file in chunks that overlap by the longest needle. */
export function scanFile(path: string, list: Needle[], scan: Scan) {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // gone since listed
    throw e;
  }
  const overlap = Math.max(...list.map((n) => n.bytes.length)) - 1;
  const buf = Buffer.alloc(chunkSize + overlap);
  const seen = new Set<Needle>();
  const byKey = groups(list);
  try {
    let kept = 0; // bytes carried over from the previous chunk
    let pos = 0; // file offset of buf[0]
    for (;;) {
      const n = readSync(fd, buf, kept, chunkSize, pos + kept);
      if (n === 0) break;
      scan.bytes += n;
      const raw = buf.toString('latin1', 0, kept + n);
      // Latin-1 lowercasing keeps one char per byte.
      const low = raw.toLowerCase();
      for (const g of byKey) {
        const text = g.caseless ? low : raw;
        for (let at = text.indexOf(g.key); at >= 0; at = text.indexOf(g.key, at + 1)) {
          for (const nd of g.members) {
            if (!seen.has(nd) && text.startsWith(nd.bytes, at)) {
              seen.add(nd);
              scan.hits.push({ file: path, marker: nd.marker, form: nd.form, offset: pos + at });
            }
          }
        }
      }
      const carry = Math.min(overlap, kept + n);
      buf.copy(buf, 0, kept + n - carry, kept + n);
      pos += kept + n - carry;
      kept = carry;
    }
  } finally {
    closeSync(fd);
  }
  scan.files.push(path);
}

export interface Walk {
  /** Paths (and everything under them) left out. */
  exclude?: string[];
  /** Only files changed at or after this time (ms since the epoch). */
  since?: number;
  /** Files larger than this are listed in Scan.skipped, not read. */
  maxSize?: number;
}

/** Scans every regular file under roots; symbolic links are not followed. */
export function scanTrees(roots: string[], list: Needle[], opts: Walk = {}, scan: Scan = { files: [], bytes: 0, hits: [], skipped: [] }): Scan {
  const excluded = (p: string) => (opts.exclude ?? []).some((x) => p === x || p.startsWith(x + sep));
  const walk = (p: string) => {
    if (excluded(p)) return;
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return; // gone since listed
    }
    if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(p);
      } catch {
        return;
      }
      for (const name of names) walk(join(p, name));
    } else if (st.isFile() && (opts.since === undefined || Math.max(st.mtimeMs, st.ctimeMs) >= opts.since)) {
      if (opts.maxSize !== undefined && st.size > opts.maxSize) scan.skipped.push(p);
      else scanFile(p, list, scan);
    }
  };
  for (const r of roots) walk(r);
  return scan;
}
