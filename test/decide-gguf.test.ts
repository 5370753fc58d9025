// The edge of the decision: a local GGUF's header read by node-llama-cpp, turned into the figures
// the memory fit and the roofline estimate need, and labelled in the report as read from the file.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { decideFully } from '../src/decide/decide.ts';
import { buildTinyModel, TINY_GGUF_MODEL, writeTinyGguf } from '../src/demo/tiny-gguf.ts';
import { declaredCostInputs, readGgufHeaders } from '../src/report/cost-inputs.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

test('a GGUF header gives the architecture, the parameter count and the weight type; the embedded model is priced as an estimate', async () => {
  const dir = tempDir();
  await writeTinyGguf(path.join(dir, 'tiny.gguf'));
  const w = await parseWorkload(
    `version: 1
name: gguf
prompt: "{{q}}"
cases: [{ vars: { q: hi }, expected: hi }]
graders: [equals]
candidates:
  - { id: local, model: "llama-cpp:./tiny.gguf", hosting: cloud, gpu: { type: l4, cloud: aws } }
traffic: { requests_per_month: 100000, input_tokens_per_request: 100, output_tokens_per_request: 10 }
`,
    path.join(dir, 'w.yaml'),
    { checkCases: false },
  );
  const headers = await readGgufHeaders(w);
  const info = headers.get('local')!;
  const m = TINY_GGUF_MODEL;
  assert.equal(info.architecture.architecture, 'llama');
  assert.equal(info.architecture.layers, m.blockCount);
  assert.deepEqual(info.architecture.kvCache, {
    kind: 'gqa',
    kvHeads: m.headCountKv,
    headDim: m.embeddingLength / m.headCount,
  });
  assert.equal(info.architecture.contextTokens, m.contextLength);
  // Every tensor's elements, summed: the count the file holds.
  const elements = buildTinyModel().tensors.reduce((s, t) => s + t.dims.reduce((p, d) => p * d, 1), 0);
  assert.ok(Math.abs(info.paramsTotalB * 1e9 - elements) < 1e-3);
  assert.equal(info.quantisationNote, 'F32 in the file; estimated as 16-bit weights');

  const input = (await declaredCostInputs(w, new Date('2026-11-24')))!;
  const { cost, decision } = decideFully([], { cost: input });
  assert.match(
    cost!.facts![0]!,
    /^local \(tiny\.gguf\): llama architecture, .* 2 layers, 2 KV heads × 16 head dim, 2,048-token context, .*read from the GGUF header\. Its licence is not in verdict's catalogue/,
  );
  const local = cost!.options.find((o) => o.optionId === 'local')!;
  assert.equal(local.family, 'self-hosted-cloud');
  assert.equal(local.replicas, 2);
  assert.ok(
    decision.caveats.some((c) =>
      /^The capacity per replica of local is an estimate \(estimate: roofline: verdict-tiny-random/.test(c),
    ),
  );
  // The file's licence is unknown to verdict: its weights have no catalogue entry and no managed route.
  assert.ok(cost!.options.every((o) => o.candidateId === 'local' && o.optionId === 'local'));
});
