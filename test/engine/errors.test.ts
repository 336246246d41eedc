import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, isSupernodeError, SupernodeError } from '../../engine/errors.js';
import { ROOT } from '../helpers/reference.js';

describe('error catalogue', () => {
  it('docs/errors.md lists every code with its status', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CATALOGUE)) {
      expect(doc, code).toContain(`| \`${code}\` | ${status} |`);
    }
  });

  it('located errors name file, line and column', () => {
    const e = SupernodeError.located('INPUT_BAD_WEIGHT', 'weight "x" is not a number', { file: 'a.csv', line: 3, column: 3 });
    expect(e.message).toBe('a.csv:3:3: weight "x" is not a number');
    expect(e.status).toBe(400);
    expect(isSupernodeError(e)).toBe(true);
    expect(isSupernodeError(new Error('x'))).toBe(false);
    expect(e.toJSON()).toMatchObject({ code: 'INPUT_BAD_WEIGHT', line: 3, column: 3, file: 'a.csv' });
  });
});
