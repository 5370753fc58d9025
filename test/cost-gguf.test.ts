import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findOpenWeightModel } from '../src/cost/catalogue/open-weight-models.ts';
import { architectureFromGguf, modelFromGguf } from '../src/cost/gguf-architecture.ts';
import { kvBytesPerToken } from '../src/cost/memory-fit.ts';

// Metadata in the shape node-llama-cpp's readGgufFileInfo returns (nested), for Llama 3.1 8B.
const llama = {
  general: { architecture: 'llama', name: 'Meta Llama 3.1 8B Instruct', size_label: '8B' },
  llama: {
    block_count: 32,
    context_length: 131072,
    embedding_length: 4096,
    attention: { head_count: 32, head_count_kv: 8 },
  },
};

test('a GGUF header gives layers, KV heads, head dimension and context', () => {
  const r = architectureFromGguf(llama, 'llama-8b.gguf');
  assert.ok(r.ok);
  // Head dimension = 4,096 ÷ 32 heads = 128 where the header has no key_length.
  assert.deepEqual(r.value.kvCache, { kind: 'gqa', kvHeads: 8, headDim: 128 });
  assert.deepEqual([r.value.layers, r.value.contextTokens, r.value.paramsTotalB], [32, 131072, 8]);
  assert.deepEqual(r.value.provenance, { kind: 'computed', from: 'the GGUF header of llama-8b.gguf' });
  // The same KV bytes per token as the catalogue entry: 32 × 2 × 8 × 128 × 2 = 131,072.
  const model = modelFromGguf(r.value, findOpenWeightModel('llama-3.1-8b')!);
  assert.equal(kvBytesPerToken(model), 131_072);
});

test('flat dotted keys, MoE experts and latent attention', () => {
  const r = architectureFromGguf(
    {
      'general.architecture': 'deepseek2',
      'deepseek2.block_count': 61,
      'deepseek2.context_length': 163840,
      'deepseek2.attention.kv_lora_rank': 512,
      'deepseek2.rope.dimension_count': 64,
      'deepseek2.expert_count': 256,
      'deepseek2.expert_used_count': 8,
    },
    'dsv3.gguf',
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.kvCache, { kind: 'mla', latentDim: 576 });
  assert.deepEqual(r.value.experts, { routed: 256, perToken: 8 });
});

test('a header without the needed keys says which', () => {
  const r = architectureFromGguf(
    { general: { architecture: 'llama' }, llama: { block_count: 2 } },
    'odd.gguf',
  );
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /odd\.gguf: llama\.block_count or llama\.context_length missing/);
});
