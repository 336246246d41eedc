/**
 * The partial line a line-oriented reader (delimited text, NDJSON) carries from one chunk to the
 * next, and the line-length limit (engine/limits.ts `maxLineBytes`).
 *
 * Pieces are kept in a list and joined once, when the line's newline arrives, so a line costs
 * time linear in its length: concatenating the carry with every chunk was quadratic (a 50 MB line
 * with no newline took 10-16 s of event-loop time). The length is checked as the line grows, so a
 * line over the limit fails when it passes the limit, not when (or if) its newline comes.
 */
import { type LimitFlags, limitError } from '../limits.js';

const NL = 10;

export class LineCarry {
  private pieces: Buffer[] = [];
  /** Bytes carried (0 = no partial line). */
  bytes = 0;

  constructor(private readonly maxLineBytes: number, private readonly file: string, private readonly flags: LimitFlags) {}

  /** Carries a copy of `piece` (the chunk may be reused) of line `line`; `nl` = 1 when it ends with the newline. */
  keep(piece: Buffer, nl: 0 | 1, line: number): void {
    this.bytes += piece.length;
    if (this.bytes - nl > this.maxLineBytes) this.tooLong(line);
    this.pieces.push(Buffer.from(piece));
  }

  /** The carried line as one buffer (with a newline appended when `addNewline`), and a fresh carry. */
  take(addNewline = false): Buffer {
    if (addNewline) this.pieces.push(Buffer.from([NL]));
    const b = Buffer.concat(this.pieces, this.bytes + (addNewline ? 1 : 0));
    this.pieces = [];
    this.bytes = 0;
    return b;
  }

  /**
   * Fails at the first line in [from, to) (whole lines, `firstLine` the number of the first) that
   * is longer than the limit, newline not counted. Only needed when to - from exceeds the limit.
   */
  check(buf: Buffer, from: number, to: number, firstLine: number): void {
    if (to - from <= this.maxLineBytes) return;
    for (let p = from, line = firstLine; p < to; line++) {
      let nl = buf.indexOf(NL, p);
      if (nl < 0 || nl > to) nl = to;
      if (nl - p > this.maxLineBytes) this.tooLong(line);
      p = nl + 1;
    }
  }

  tooLong(line: number): never {
    throw limitError('line', this.maxLineBytes, this.flags, { file: this.file, line, column: 1 });
  }
}
