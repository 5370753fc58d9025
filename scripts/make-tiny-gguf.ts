// Writes the tiny random-weight GGUF model used by tests and the demo; its answers are noise.
//   node scripts/make-tiny-gguf.ts OUT.gguf [--seed N]

import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TINY_GGUF_MODEL, writeTinyGguf } from '../src/demo/tiny-gguf.ts';

const usage = 'usage: node scripts/make-tiny-gguf.ts OUT.gguf [--seed N]';

function parse(): { out: string; seed?: number } | undefined {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { seed: { type: 'string' } },
    });
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (positionals.length !== 1 || (seed !== undefined && !Number.isSafeInteger(seed))) return undefined;
    return { out: positionals[0]!, seed };
  } catch {
    return undefined;
  }
}

const args = parse();
if (args === undefined) {
  console.error(usage);
  process.exitCode = 2;
} else {
  await writeTinyGguf(args.out, { seed: args.seed });
  const { size } = await stat(args.out);
  console.log(
    `wrote ${args.out} (${Math.round(size / 1024)} KB): ${TINY_GGUF_MODEL.name}, ${TINY_GGUF_MODEL.label}`,
  );
}
