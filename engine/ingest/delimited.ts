/**
 * Delimited edge lists (SNAP whitespace, CSV, TSV) read by scanning bytes of Buffer chunks.
 *
 * Why by hand: the usual readline + split + Map path allocates a string per line and per field
 * and runs at ~1M rows/s; this reader finds fields by byte, parses decimal ids and weights
 * straight from the bytes and keys canonical decimal ids by number (MemberDictionary fast path),
 * so an id costs a string only the first time its member is seen. bench/ingest.bench.ts measures
 * both side by side.
 *
 * Format rules:
 * - Lines end in \n; a trailing \r is dropped (CRLF). A line whose first non-blank byte is # or %
 *   is a comment; blank lines are skipped. A UTF-8 byte-order mark at the start is skipped.
 * - whitespace mode: fields are separated by runs of spaces/tabs; quotes are ordinary bytes.
 *   ',' / '\t' mode: one delimiter byte separates fields, spaces around a field are trimmed, and a
 *   field may be quoted ("a,b", "" for a quote); the quote must close on its line.
 * - The first data line is a header when its fields name a source and a target column (see
 *   columns.ts); it is not an edge. Without one, columns are `source target [weight]` or those of
 *   the `columns` option (which wins over a header: the header row is then only skipped).
 * - A first line that looks like a header but is not one is INPUT_BAD_HEADER, never an edge
 *   `from_user -> to_user` (without the `columns` option, which says the file's columns and so
 *   makes line 1 data). It looks like one when no field holds a value (a number or an ISO date)
 *   and either (a) a field is a column name of three letters or more (`source,destination`), or
 *   (b) it has three or more fields (a data row needs a numeric weight there), or (c) it has two
 *   and the next data line's two ids are numbers (`from_id,to_id` over `17,42`). Headerless SNAP
 *   files are unaffected: their first line is numbers; a two-column file of names stays data
 *   (`alice bob` over `carol dave`), as does a file of one row.
 * - Every row must have the field count of the header / `columns` option / first data row.
 * Errors name file:line:column, column = 1-based byte position of the offending field in its line.
 */
import { SupernodeError } from '../errors.js';
import { inTimeWindow } from '../limits.js';
import {
  ROLE_IGNORE, ROLE_SOURCE, ROLE_TARGET, ROLE_TIMESTAMP, ROLE_TYPE, ROLE_WEIGHT, type Role,
  defaultRoles, headerRoles, optionRoles, roleOf,
} from './columns.js';
import { LineCarry } from './lines.js';
import { type EdgeSink, isValueText, parseTimestampText, parseWeightText } from './sink.js';

export type DelimiterMode = 'whitespace' | ',' | '\t';

const NL = 10, CR = 13, SP = 32, TAB = 9, QUOTE = 34, HASH = 35, PERCENT = 37, DOT = 46, MINUS = 45;
/** Longest field read as a possible column name of a header row. */
const MAX_NAME = 256;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Outcome of reading an id field: a canonical decimal number, a string, or an error. */
const ID_NUM = 0, ID_STR = 1, ID_EMPTY = 2, ID_BAD_UTF8 = 3;

export class DelimitedReader {
  private line = 0;
  /** The partial line between chunks, and the line-length limit (lines.ts). */
  private readonly carry: LineCarry;
  /** Line number of a two-field first line of names, until the next data line settles it (rule c). */
  private suspect = 0;
  private started = false;
  private mode: number;               // 0 = whitespace, else the delimiter byte; -1 = sniff
  private roles: Role[] | null = null;
  private expected = -1;
  private fSrc = -1; private fDst = -1; private fW = -1; private fTs = -1; private fType = -1;
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private quoted = new Uint8Array(16);
  private lineStart = 0;
  /** 2 or 3 when lines are plain `int int [weight]` whitespace rows (the SNAP shape), else 0. */
  private snap = 0;
  private idNum = 0;
  private idStr = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly sink: EdgeSink,
    delimiter: DelimiterMode | 'auto',
    private readonly columns: readonly string[] | undefined,
  ) {
    this.mode = delimiter === 'auto' ? -1 : delimiter === 'whitespace' ? 0 : delimiter.charCodeAt(0);
    if (columns !== undefined) optionRoles(columns); // fail before reading a byte
    this.carry = new LineCarry(sink.limits.maxLineBytes, sink.file, sink.limitFlags);
  }

  push(chunk: Buffer): void {
    let pos = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) pos = 3;
    }
    const carry = this.carry;
    if (carry.bytes > 0) {
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) {
        carry.keep(chunk.subarray(pos), 0, this.line + 1);
        return;
      }
      carry.keep(chunk.subarray(pos, nl + 1), 1, this.line + 1);
      const joined = carry.take();
      this.lines(joined, 0, joined.length);
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last < pos) {
      if (pos < chunk.length) carry.keep(chunk.subarray(pos), 0, this.line + 1);
      return;
    }
    carry.check(chunk, pos, last + 1, this.line + 1);
    this.lines(chunk, pos, last + 1);
    if (last + 1 < chunk.length) carry.keep(chunk.subarray(last + 1), 0, this.line + 1);
  }

  /** The last line may lack its newline. */
  end(): void {
    if (this.carry.bytes > 0) {
      const b = this.carry.take(true);
      this.lines(b, 0, b.length);
    }
  }

  /** [from, to) holds whole lines, the last ending in \n. */
  private lines(buf: Buffer, from: number, to: number): void {
    let p = from;
    while (p < to) {
      this.line++;
      this.lineStart = p;
      // Skip leading blanks; a comment or blank line costs one short scan.
      let i = p, c = buf[i]!;
      while (c === SP || c === TAB) c = buf[++i]!;
      if (c === NL || c === HASH || c === PERCENT || (c === CR && buf[i + 1] === NL)) {
        p = c === NL ? i + 1 : buf.indexOf(NL, i) + 1;
        continue;
      }
      if (this.mode < 0) this.sniff(buf, i);
      let nf: number;
      if (this.snap !== 0) {
        const q = this.snapLine(buf, i);
        if (q >= 0) { p = q; continue; }
        c = buf[i]!; // not the plain shape: the general path below reads it (and reports errors)
      }
      if (this.mode === 0) {
        // Whitespace mode, fused with the newline search: one pass over the bytes.
        nf = 0;
        for (;;) {
          while (c === SP || c === TAB || c === CR) c = buf[++i]!;
          if (c === NL) break;
          if (nf === this.starts.length) this.growFields();
          this.starts[nf] = i;
          while (c !== SP && c !== TAB && c !== NL && c !== CR) c = buf[++i]!;
          this.ends[nf] = i;
          this.quoted[nf] = 0;
          nf++;
        }
        p = i + 1;
      } else {
        const nl = buf.indexOf(NL, i);
        let e = nl;
        if (e > i && buf[e - 1] === CR) e--;
        nf = this.splitDelimited(buf, p, e);
        p = nl + 1;
      }
      if (nf > 0) this.row(buf, nf);
    }
  }

  private sniff(buf: Buffer, i: number): void {
    const comma = buf.indexOf(44, i);
    this.mode = comma >= 0 && comma < buf.indexOf(NL, i) ? 44 : 0;
  }

  /** Splits [s, e) on the delimiter byte, honouring quotes; returns the field count or -1. */
  private splitDelimited(buf: Buffer, s: number, e: number): number {
    const d = this.mode;
    let nf = 0, i = s;
    for (;;) {
      while (i < e && buf[i] === SP) i++;
      if (nf === this.starts.length) this.growFields();
      if (i < e && buf[i] === QUOTE) {
        const open = i++;
        let esc = 0;
        for (;;) {
          if (i >= e) {
            this.sink.fail('INPUT_BAD_QUOTE', this.line, open - this.lineStart + 1, 'quoted field is not closed on its line');
            return 0;
          }
          if (buf[i] === QUOTE) {
            if (i + 1 < e && buf[i + 1] === QUOTE) { esc = 1; i += 2; continue; }
            break;
          }
          i++;
        }
        this.starts[nf] = open + 1;
        this.ends[nf] = i;
        this.quoted[nf] = esc ? 2 : 1;
        nf++;
        i++;
        while (i < e && buf[i] === SP) i++;
        if (i < e && buf[i] !== d) {
          this.sink.fail('INPUT_BAD_QUOTE', this.line, i - this.lineStart + 1, 'unexpected text after a closing quote');
          return 0;
        }
      } else {
        const fs = i;
        while (i < e && buf[i] !== d) i++;
        let fe = i;
        while (fe > fs && buf[fe - 1] === SP) fe--;
        this.starts[nf] = fs;
        this.ends[nf] = fe;
        this.quoted[nf] = 0;
        nf++;
      }
      if (i >= e) return nf;
      i++; // the delimiter; a trailing delimiter makes one more (empty) field
    }
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n); s.set(this.starts); this.starts = s;
    const e = new Int32Array(n); e.set(this.ends); this.ends = e;
    const q = new Uint8Array(n); q.set(this.quoted); this.quoted = q;
  }

  private col(k: number): number {
    return this.starts[k]! - this.lineStart + 1;
  }

  private row(buf: Buffer, nf: number): void {
    const sink = this.sink;
    if (this.roles === null && this.setup(buf, nf)) return;
    if (this.suspect !== 0 && this.line > this.suspect) this.settle(buf, nf);
    if (nf < 2) {
      sink.fail('INPUT_MISSING_FIELD', this.line, this.ends[nf - 1]! - this.lineStart + 2, 'missing target (the row has one field)');
      return;
    }
    if (nf !== this.expected) {
      const k = Math.min(nf, this.expected);
      const column = nf > this.expected ? this.col(k) : this.ends[nf - 1]! - this.lineStart + 2;
      sink.fail('INPUT_COLUMN_COUNT', this.line, column, `expected ${this.expected} columns, found ${nf}`);
      return;
    }
    const rs = this.readId(buf, this.fSrc);
    if (rs >= ID_EMPTY) return this.idError(rs, this.fSrc, 'source');
    const srcNum = rs === ID_NUM ? this.idNum : -1, srcStr = this.idStr;
    const rt = this.readId(buf, this.fDst);
    if (rt >= ID_EMPTY) return this.idError(rt, this.fDst, 'target');
    let w = 1, ts = NaN, ty = -1;
    if (this.fW >= 0) {
      w = this.readWeight(buf, this.fW);
      if (w < 0) return;
    }
    if (this.fTs >= 0) {
      ts = this.readTimestamp(buf, this.fTs);
      if (ts !== ts && this.starts[this.fTs]! !== this.ends[this.fTs]!) {
        sink.fail('INPUT_BAD_TIMESTAMP', this.line, this.col(this.fTs), `timestamp "${this.text(buf, this.fTs)}" is neither a number nor an ISO-8601 date`);
        return;
      }
      if (ts === ts && !inTimeWindow(ts) && !sink.timeOk(ts, this.line, this.col(this.fTs), this.text(buf, this.fTs))) return;
    }
    if (this.fType >= 0) {
      const s = this.decode(buf, this.fType);
      if (s === null) return this.idError(ID_BAD_UTF8, this.fType, 'type');
      ty = sink.typeId(s);
    }
    const members = sink.members;
    const r = sink.rows;
    if (r === sink.cap) sink.grow();
    sink.src[r] = srcNum >= 0 ? members.internNumber(srcNum) : members.intern(srcStr);
    sink.dst[r] = rt === ID_NUM ? members.internNumber(this.idNum) : members.intern(this.idStr);
    if (this.fW >= 0) sink.weight![r] = w;
    if (this.fTs >= 0) sink.ts![r] = ts;
    if (this.fType >= 0) sink.type![r] = ty;
    sink.rows = r + 1;
  }

  /** Decides the column roles on the first data line; true when that line was a header. */
  private setup(buf: Buffer, nf: number): boolean {
    const names: string[] = [];
    // A column name is short: a longer field is no name (and is not decoded twice for the test).
    for (let k = 0; k < nf; k++) names.push(this.ends[k]! - this.starts[k]! > MAX_NAME ? '' : this.decode(buf, k) ?? '');
    const header = headerRoles(names);
    if (header === null && this.columns === undefined) this.lookForHeader(names);
    let roles: Role[];
    if (this.columns !== undefined) roles = optionRoles(this.columns);
    else if (header !== null) roles = header;
    else roles = defaultRoles(nf);
    this.roles = roles;
    this.expected = header !== null ? nf : this.columns !== undefined ? roles.length : Math.max(2, nf);
    for (let k = 0; k < roles.length; k++) {
      const r = roles[k]!;
      if (r === ROLE_SOURCE) this.fSrc = k;
      else if (r === ROLE_TARGET) this.fDst = k;
      else if (r === ROLE_WEIGHT) { this.fW = k; this.sink.enableWeight(); }
      else if (r === ROLE_TIMESTAMP) { this.fTs = k; this.sink.enableTimestamp(); }
      else if (r === ROLE_TYPE) { this.fType = k; this.sink.enableType(); }
      else if (r !== ROLE_IGNORE) throw new Error('unreachable');
    }
    if (this.mode === 0 && this.fSrc === 0 && this.fDst === 1 && this.fTs < 0 && this.fType < 0
      && (this.expected === 2 || (this.expected === 3 && this.fW === 2))) this.snap = this.expected;
    if (header !== null && this.columns !== undefined && header.length !== roles.length) {
      throw SupernodeError.located('INPUT_BAD_HEADER',
        `the header has ${header.length} columns but the columns option names ${roles.length}`, { file: this.sink.file, line: this.line, column: 1 });
    }
    return header !== null;
  }

  /**
   * Rules (a) and (b) of the header: a first line with no value in it that names a known column,
   * or has three or more fields, is a header the reader does not understand. Rule (c) waits for
   * the next data line (`settle`).
   */
  private lookForHeader(names: readonly string[]): void {
    if (names.length < 2 || names.some((t) => t === '' || isValueText(t))) return;
    const known = names.filter((t) => t.trim().length >= 3 && roleOf(t) !== -1 && roleOf(t) !== ROLE_IGNORE);
    if (known.length > 0 || names.length >= 3) {
      const unknown = names.filter((t) => roleOf(t) === -1);
      this.badHeader(this.line, `the first line looks like a header but does not name ${known.length > 0 ? 'both a source and a target column' : 'its columns'}`
        + `${unknown.length > 0 ? ` (unknown: ${unknown.slice(0, 5).map((t) => JSON.stringify(t)).join(', ')})` : ''}`);
    }
    this.suspect = this.line;
  }

  /** Rule (c): the line after a two-field line of names; numbers in both id fields make that line a header. */
  private settle(buf: Buffer, nf: number): void {
    const first = this.suspect;
    this.suspect = 0;
    if (nf !== 2) return;
    const a = this.decode(buf, 0), b = this.decode(buf, 1);
    if (a !== null && b !== null && isValueText(a) && isValueText(b)) {
      this.badHeader(first, 'the first line holds names over numeric ids, so it looks like a header, but it does not name a source and a target column');
    }
  }

  private badHeader(line: number, why: string): never {
    throw SupernodeError.located('INPUT_BAD_HEADER',
      `${why}: name them source,target[,weight|timestamp|type] (aliases src/dst, from/to), or pass the columns option (--columns, ?columns=) if that line is data`,
      { file: this.sink.file, line, column: 1 });
  }

  /**
   * The SNAP hot path: one pass over `a b [w]\n` with canonical decimal ids and a plain decimal
   * weight, parsing numbers as the bytes go by. Returns the offset after the newline, or -1 (and
   * consumes nothing) when the line has any other shape, which the general path then handles.
   */
  private snapLine(buf: Buffer, i: number): number {
    let c = buf[i]!, s = i;
    let a = 0, b = 0;
    if (c < 48 || c > 57) return -1;
    if (c === 48) c = buf[++i]!;
    else do { a = a * 10 + (c - 48); c = buf[++i]!; } while (c >= 48 && c <= 57);
    if ((c !== SP && c !== TAB) || i - s > 15) return -1;
    do c = buf[++i]!; while (c === SP || c === TAB);
    s = i;
    if (c < 48 || c > 57) return -1;
    if (c === 48) c = buf[++i]!;
    else do { b = b * 10 + (c - 48); c = buf[++i]!; } while (c >= 48 && c <= 57);
    if (i - s > 15) return -1;
    while (c === SP || c === TAB || c === CR) c = buf[++i]!;
    let w = 1;
    if (this.snap === 3) {
      if (c === NL) return -1;
      let v = 0, digits = 0, frac = -1;
      for (;; c = buf[++i]!) {
        if (c >= 48 && c <= 57) { v = v * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
        else if (c === DOT && frac < 0) frac = 0;
        else break;
      }
      if (digits === 0 || digits > 15) return -1;
      w = frac > 0 ? v / POW10[frac]! : v;
      while (c === SP || c === TAB || c === CR) c = buf[++i]!;
    }
    if (c !== NL) return -1;
    const sink = this.sink;
    const r = sink.rows;
    if (r === sink.cap) sink.grow();
    sink.src[r] = sink.members.internNumber(a);
    sink.dst[r] = sink.members.internNumber(b);
    if (this.snap === 3) sink.weight![r] = w;
    sink.rows = r + 1;
    return i + 1;
  }

  /** Reads id field k into idNum (canonical decimal) or idStr. */
  private readId(buf: Buffer, k: number): number {
    const s = this.starts[k]!, e = this.ends[k]!;
    const len = e - s;
    if (len === 0) return ID_EMPTY;
    if (this.quoted[k] === 0) {
      const c = buf[s]!;
      if (len <= 15 && c >= 48 && c <= 57 && (c !== 48 || len === 1)) {
        let v = c - 48, i = s + 1;
        for (; i < e; i++) {
          const d = buf[i]! - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        if (i === e) { this.idNum = v; return ID_NUM; }
      }
    }
    const str = this.decode(buf, k);
    if (str === null) return ID_BAD_UTF8;
    this.idStr = str;
    return ID_STR;
  }

  private idError(status: number, k: number, what: string): void {
    if (status === ID_EMPTY) this.sink.fail('INPUT_EMPTY_ID', this.line, this.col(k), `empty ${what} id`);
    else this.sink.fail('INPUT_BAD_UTF8', this.line, this.col(k), `${what} field is not valid UTF-8`);
  }

  /** Field k as a string (quotes undone); null when its bytes are not UTF-8. */
  private decode(buf: Buffer, k: number): string | null {
    const s = this.starts[k]!, e = this.ends[k]!;
    let ascii = true;
    for (let i = s; i < e; i++) if (buf[i]! >= 0x80) { ascii = false; break; }
    let str: string;
    if (ascii) str = buf.toString('latin1', s, e);
    else {
      try {
        str = this.decoder.decode(buf.subarray(s, e));
      } catch {
        return null;
      }
    }
    return this.quoted[k] === 2 ? str.replaceAll('""', '"') : str;
  }

  private text(buf: Buffer, k: number): string {
    return this.decode(buf, k) ?? buf.subarray(this.starts[k]!, this.ends[k]!).toString('latin1');
  }

  /** A non-negative weight, or -1 after reporting the row. */
  private readWeight(buf: Buffer, k: number): number {
    const s = this.starts[k]!, e = this.ends[k]!;
    let v = 0, digits = 0, frac = -1, i = s;
    for (; i < e; i++) {
      const c = buf[i]!;
      if (c >= 48 && c <= 57) { v = v * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
      else if (c === DOT && frac < 0) frac = 0;
      else break;
    }
    // Both operands exact (< 10^15 and 10^22), so the quotient is the correctly rounded value,
    // the same double Number(text) gives.
    if (i === e && digits > 0 && digits <= 15) return frac > 0 ? v / POW10[frac]! : v;
    const x = parseWeightText(this.text(buf, k));
    if (typeof x === 'string') {
      this.sink.fail('INPUT_BAD_WEIGHT', this.line, this.col(k), x);
      return -1;
    }
    return x;
  }

  /** Milliseconds, or NaN (empty or unparsable; the caller tells the two apart). */
  private readTimestamp(buf: Buffer, k: number): number {
    const s = this.starts[k]!, e = this.ends[k]!;
    if (s === e) return NaN;
    let i = s, neg = false;
    if (buf[i] === MINUS) { neg = true; i++; }
    let v = 0;
    const first = i;
    for (; i < e; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === e && i > first && e - first <= 15) return (neg ? -v : v) * this.sink.timeScale;
    const text = this.decode(buf, k);
    return text === null ? NaN : parseTimestampText(text, this.sink.timeScale);
  }
}
