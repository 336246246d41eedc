/**
 * NDJSON edge records: one JSON object per line, keys named as header columns are (columns.ts:
 * source/src/from/..., target/..., weight, timestamp, type). Ids may be strings or numbers (a
 * number becomes its JavaScript string form: 7 -> "7"). A missing or null weight is 1, a missing
 * timestamp NaN, a missing type -1; unknown keys are ignored. Lines are split on bytes and each
 * line is decoded on its own, so a file is never one string. Blank lines and lines starting with
 * # or % are skipped, as in the delimited reader. A line longer than `maxLineBytes` is INPUT_LIMIT
 * (lines.ts); a timestamp outside the window of engine/limits.ts is INPUT_BAD_TIMESTAMP.
 */
import { type Role, ROLE_SOURCE, ROLE_TARGET, ROLE_TIMESTAMP, ROLE_TYPE, ROLE_WEIGHT, roleOf } from './columns.js';
import { LineCarry } from './lines.js';
import { type EdgeSink, checkWeight, parseTimestampText, parseWeightText } from './sink.js';

const NL = 10;

export class NdjsonReader {
  private line = 0;
  private readonly carry: LineCarry;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly keyRoles = new Map<string, Role | -1>();

  constructor(private readonly sink: EdgeSink) {
    this.carry = new LineCarry(sink.limits.maxLineBytes, sink.file, sink.limitFlags);
  }

  push(chunk: Buffer): void {
    const carry = this.carry;
    let p = 0;
    if (carry.bytes > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        carry.keep(chunk, 0, this.line + 1);
        return;
      }
      carry.keep(chunk.subarray(0, nl + 1), 1, this.line + 1);
      const joined = carry.take();
      this.record(joined, 0, joined.length - 1);
      p = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= p) {
      carry.check(chunk, p, last + 1, this.line + 1);
      for (;;) {
        const nl = chunk.indexOf(NL, p);
        if (nl < 0) break;
        this.record(chunk, p, nl);
        p = nl + 1;
      }
    }
    if (p < chunk.length) carry.keep(chunk.subarray(p), 0, this.line + 1);
  }

  end(): void {
    if (this.carry.bytes > 0) {
      const b = this.carry.take();
      this.record(b, 0, b.length);
    }
  }

  private record(buf: Buffer, s: number, e: number): void {
    this.line++;
    const sink = this.sink;
    if (this.line === 1 && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
    let text: string;
    try {
      text = this.decoder.decode(buf.subarray(s, e));
    } catch {
      let k = s;
      while (k < e && buf[k]! < 0x80) k++;
      sink.fail('INPUT_BAD_UTF8', this.line, k - s + 1, 'line is not valid UTF-8');
      return;
    }
    const t = text.trim();
    if (t === '' || t[0] === '#' || t[0] === '%') return;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (err) {
      sink.fail('INPUT_BAD_JSON', this.line, 1, `not JSON: ${(err as Error).message}`);
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      sink.fail('INPUT_BAD_JSON', this.line, 1, 'not a JSON object');
      return;
    }
    let src: unknown, dst: unknown, w: unknown, ts: unknown, ty: unknown;
    let kSrc = '', kDst = '', kW = '', kTs = '', kTy = '';
    for (const key of Object.keys(obj)) {
      let role = this.keyRoles.get(key);
      if (role === undefined) { role = roleOf(key); this.keyRoles.set(key, role); }
      const v = (obj as Record<string, unknown>)[key];
      if (role === ROLE_SOURCE) { src = v; kSrc = key; }
      else if (role === ROLE_TARGET) { dst = v; kDst = key; }
      else if (role === ROLE_WEIGHT) { w = v; kW = key; }
      else if (role === ROLE_TIMESTAMP) { ts = v; kTs = key; }
      else if (role === ROLE_TYPE) { ty = v; kTy = key; }
    }
    const col = (key: string) => (key === '' ? 1 : text.indexOf(JSON.stringify(key)) + 1 || 1);
    const a = idText(src), b = idText(dst);
    if (a === undefined) return sink.fail('INPUT_MISSING_FIELD', this.line, col(kSrc), kSrc === '' ? 'missing source' : `source must be a string or number, got ${JSON.stringify(src)}`);
    if (b === undefined) return sink.fail('INPUT_MISSING_FIELD', this.line, col(kDst), kDst === '' ? 'missing target' : `target must be a string or number, got ${JSON.stringify(dst)}`);
    if (a === '') return sink.fail('INPUT_EMPTY_ID', this.line, col(kSrc), 'empty source id');
    if (b === '') return sink.fail('INPUT_EMPTY_ID', this.line, col(kDst), 'empty target id');
    let weight = 1;
    if (w !== undefined && w !== null) {
      let reason: string | null;
      if (typeof w === 'number') { weight = w; reason = checkWeight(w); }
      else if (typeof w === 'string') {
        const x = parseWeightText(w);
        if (typeof x === 'string') reason = x; else { weight = x; reason = null; }
      } else reason = `weight must be a number, got ${JSON.stringify(w)}`;
      if (reason !== null) return sink.fail('INPUT_BAD_WEIGHT', this.line, col(kW), reason);
    }
    let time = NaN;
    if (ts !== undefined && ts !== null && ts !== '') {
      time = typeof ts === 'number' ? Math.round(ts * sink.timeScale)
        : typeof ts === 'string' ? parseTimestampText(ts, sink.timeScale) : NaN;
      if (!Number.isFinite(time)) return sink.fail('INPUT_BAD_TIMESTAMP', this.line, col(kTs), `timestamp ${JSON.stringify(ts)} is neither a number nor an ISO-8601 date`);
      if (!sink.timeOk(time, this.line, col(kTs), String(ts))) return;
    }
    let type = -1;
    if (ty !== undefined && ty !== null) type = sink.typeId(typeof ty === 'string' ? ty : JSON.stringify(ty));
    if (kW !== '') sink.enableWeight();
    if (kTs !== '') sink.enableTimestamp();
    if (kTy !== '') sink.enableType();
    const r = sink.rows;
    if (r === sink.cap) sink.grow();
    sink.src[r] = sink.members.intern(a);
    sink.dst[r] = sink.members.intern(b);
    if (sink.weight) sink.weight[r] = weight;
    if (sink.ts) sink.ts[r] = time;
    if (sink.type) sink.type[r] = type;
    sink.rows = r + 1;
  }
}

function idText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return String(v);
  return undefined;
}
