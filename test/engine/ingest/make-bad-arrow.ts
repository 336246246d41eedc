/**
 * Writes the Arrow files of the malformed corpus (test/fixtures/bad/arrow-*.arrow); run once with
 * `npx tsx test/engine/ingest/make-bad-arrow.ts` when a case changes. Kept next to the test that
 * reads them so each binary fixture has a readable source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Bool, Float64, Int32, Int64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';

const DIR = path.resolve(import.meta.dirname, '../../fixtures/bad');
const write = (name: string, t: Table) => fs.writeFileSync(path.join(DIR, name), tableToIPC(t, 'file'));
const utf8 = (xs: string[]) => vectorFromArray(xs, new Utf8());

// A float id column: 1.0 and 1 would be two members, 0.1 + 0.2 a third.
write('arrow-float-id.arrow', new Table({ source: vectorFromArray([1.5, 2, 3], new Float64()), target: utf8(['a', 'b', 'c']) }));
// A boolean target column: two members at most, and not ids at all.
write('arrow-bool-id.arrow', new Table({ source: utf8(['a', 'b']), target: vectorFromArray([true, false], new Bool()) }));
// Seconds far outside 1900..2200 on the second row (the issue's -99999999999999 s).
write('arrow-timestamp-far.arrow', new Table({
  source: vectorFromArray([1, 2], new Int32()), target: vectorFromArray([2, 3], new Int32()),
  timestamp: vectorFromArray([1_700_000_000n, -99_999_999_999_999n], new Int64()),
}));
// No target column among the fields.
write('arrow-no-target.arrow', new Table({ source: utf8(['a']), weight: vectorFromArray([1], new Float64()) }));
// A valid file cut in the middle of its record batch.
const whole = tableToIPC(new Table({ source: utf8(['a', 'b', 'c']), target: utf8(['b', 'c', 'd']) }), 'file');
fs.writeFileSync(path.join(DIR, 'arrow-truncated.arrow'), whole.subarray(0, Math.floor(whole.length / 2)));
