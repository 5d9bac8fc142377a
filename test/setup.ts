// Runs before every test file: property tests are seeded, and the seed is printed with any failure.
// Reproduce a failing run with FC_SEED=<seed> (fast-check also prints the seed and path of a counterexample).
import fc from 'fast-check';

const seed =
  process.env.FC_SEED === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(process.env.FC_SEED);
fc.configureGlobal({ seed });
