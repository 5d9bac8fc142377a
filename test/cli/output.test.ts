// The output rules every subcommand shares: E12 escaping as a property, JSON errors with --json,
// --help everywhere, one-line errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prettyJson } from '../../src/cli/format.js';
import { safeText, style } from '../../src/cli/io.js';
import { COMMANDS } from '../../src/cli/surface.js';
import { jot } from './_run.js';

const SEED = Number(process.env.JOT_SEED ?? 20260101);
const DANGEROUS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('E12: untrusted text reaches the terminal escaped', () => {
  it('safeText leaves no control, C1, bidi or invisible formatting character, and keeps safe text as is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const out = safeText(s);
        expect(out).not.toMatch(DANGEROUS);
        if (!DANGEROUS.test(s)) expect(out).toBe(s);
      }),
      { seed: SEED, numRuns: 2000, verbose: true },
    );
  });

  it('prettyJson of any JSON value, coloured or not, holds no dangerous character besides its own SGR codes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.boolean(), (v, colour) => {
        const out = prettyJson(v, style(colour), 1767225600).replace(/\u001b\[\d+m/g, '');
        expect(out.replace(/\n/g, '')).not.toMatch(DANGEROUS);
      }),
      { seed: SEED, numRuns: 500, verbose: true },
    );
  });
});

describe('every subcommand', () => {
  it.each(COMMANDS.map((c) => c.name))('%s: --help with usage and examples (exit 0)', async (name) => {
    const r = await jot([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^jot ${name}: `));
    expect(r.stdout).toContain('Usage:');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--json');
  });

  it.each(COMMANDS.map((c) => c.name))(
    '%s: a bad flag is one line and exit 2; with --json a JSON error',
    async (name) => {
      const r = await jot([name, '--no-such-flag']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`jot ${name}: unknown option '--no-such-flag' (see --help)\n`);
      const j = await jot([name, '--no-such-flag', '--json']);
      expect(j.code).toBe(2);
      expect(JSON.parse(j.stdout)).toEqual({
        error: { message: "unknown option '--no-such-flag' (see --help)", code: 'USAGE' },
      });
    },
  );

  it('jot help COMMAND is COMMAND --help; an unknown topic is a usage error', async () => {
    expect((await jot(['help', 'audit'])).stdout).toBe((await jot(['audit', '--help'])).stdout);
    expect((await jot(['help', 'nope'])).code).toBe(2);
  });

  it('an unexpected failure is one line; JOT_DEBUG=1 adds the stack', async () => {
    const r = await jot(['decode', '-'], { stdin: 'x'.repeat(2 << 20) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('jot decode: too big\n');
    const d = await jot(['decode', '-'], { stdin: 'x'.repeat(2 << 20), env: { JOT_DEBUG: '1' } });
    expect(d.stderr).toMatch(/^jot decode: too big\nError: too big\n\s+at /);
  });
});
