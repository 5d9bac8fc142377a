// The portable conformance script on Node: the Node entry (node:crypto), and the web entry loaded on Node.
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { OUT, record, runCli } from './harness.js';

describe('the conformance script on Node', () => {
  it('the Node entry (node:crypto): every algorithm round trips and every RFC vector passes', () => {
    record('node', `node ${process.version}`, runCli(process.execPath, [join(OUT, 'cli-node.js')]));
  });

  it('the web entry (WEB_ENTRY in scripts/bundle.js) on Node', () => {
    record('node-webcrypto', `node ${process.version}`, runCli(process.execPath, [join(OUT, 'cli.js')]));
  });
});
