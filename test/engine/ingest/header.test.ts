/**
 * Header rows (engine/ingest/delimited.ts rules a-c): a first line that looks like a header but
 * names no known column is INPUT_BAD_HEADER, while the headerless shapes that are data keep
 * working: SNAP numbers, two-column member names, a one-row file, and any first line under the
 * columns option. The failing shapes are in the corpus (test/fixtures/bad/header-*).
 */
import { describe, expect, it } from 'vitest';
import { ingestStream, type IngestOptions } from '../../../engine/ingest/index.js';

const read = (text: string, o: IngestOptions = {}) => ingestStream((async function* () { yield Buffer.from(text); })(), 'h', { format: 'delimited', ...o });
const ids = async (text: string, o: IngestOptions = {}) => {
  const r = await read(text, o);
  return Array.from(r.columns.source, (s, i) => `${r.members.idOf(s)}->${r.members.idOf(r.columns.target[i]!)}`);
};

describe('header rows', () => {
  it('keeps headerless data: SNAP numbers, two-column names, one row, a numeric first line of names', async () => {
    expect(await ids('0 1\n1 2\n')).toEqual(['0->1', '1->2']);
    expect(await ids('alice bob\ncarol dave\n')).toEqual(['alice->bob', 'carol->dave']);
    expect(await ids('foo,bar\n')).toEqual(['foo->bar']);
    expect(await ids('alice,bob,3\n17,23,5\n')).toEqual(['alice->bob', '17->23']);
    expect(await ids('a,b\n17,c\n')).toEqual(['a->b', '17->c']);
  });

  it('a known header is still a header, unknown extra columns ignored', async () => {
    const r = await read('source,target,comment\na,b,hello\n');
    expect(r.rows).toBe(1);
    expect(r.hasWeight).toBe(false);
  });

  it('rejects header-like first lines with the line and a way out', async () => {
    for (const [text, line] of [['from_user,to_user,when\na,b,1\n', 1], ['source,destination\na,b\n', 1], ['# c\nfrom_id,to_id\n1,2\n', 2], ['user\tfriend\tsince\n1\t2\t3\n', 1]] as const) {
      await expect(read(text), text).rejects.toMatchObject({ code: 'INPUT_BAD_HEADER', line });
    }
    await expect(read('from_id,to_id\n1,2\n')).rejects.toThrow(/pass the columns option \(--columns, \?columns=\) if that line is data/);
    // Fatal under skipBad too: skipping it would read the next rows with guessed columns.
    await expect(read('from_user,to_user,when\na,b,1\n', { skipBad: true })).rejects.toMatchObject({ code: 'INPUT_BAD_HEADER' });
  });

  it('the columns option makes the first line data, whatever it looks like', async () => {
    expect(await ids('from_id,to_id\n1,2\n', { columns: ['source', 'target'] })).toEqual(['from_id->to_id', '1->2']);
  });
});
