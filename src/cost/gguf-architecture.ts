import type { KvCacheShape, OpenWeightModel, Provenance } from './types.ts';

// A local GGUF file names its architecture in its header (the issue: "for a local GGUF, read the
// architecture from its header"). Reading the file is I/O and lives at the edge (node-llama-cpp's
// readGgufFileInfo returns the metadata); this turns that metadata into the figures the memory-fit and
// capacity estimates need. Keys follow the GGUF spec: `<arch>.block_count`, `<arch>.attention.*`.

/** The architecture figures a GGUF header gives. */
export interface GgufArchitecture {
  architecture: string;
  name?: string;
  layers: number;
  kvCache: KvCacheShape;
  contextTokens: number;
  experts?: { routed: number; perToken: number };
  /** From `general.size_label` when it is a plain count such as "8B" or "70B". */
  paramsTotalB?: number;
  provenance: Provenance;
}

type Tree = { [key: string]: unknown };

/** Reads `a.b.c` from nested objects or from a flat object with dotted keys. */
function read(meta: Tree, path: string): unknown {
  if (path in meta) return meta[path];
  let node: unknown = meta;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Tree)[part];
  }
  return node;
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number'
    ? v
    : Array.isArray(v) && v.length > 0
      ? Math.max(...v.filter((x) => typeof x === 'number'))
      : undefined;

/** Architecture from GGUF metadata, or a reason when a needed key is missing. */
export function architectureFromGguf(
  meta: Tree,
  source: string,
): { ok: true; value: GgufArchitecture } | { ok: false; reason: string } {
  const arch = read(meta, 'general.architecture');
  if (typeof arch !== 'string')
    return { ok: false, reason: `${source}: no general.architecture in the GGUF header` };
  const layers = num(read(meta, `${arch}.block_count`));
  const heads = num(read(meta, `${arch}.attention.head_count`));
  const context = num(read(meta, `${arch}.context_length`));
  if (layers === undefined || context === undefined)
    return { ok: false, reason: `${source}: ${arch}.block_count or ${arch}.context_length missing` };
  const loraRank = num(read(meta, `${arch}.attention.kv_lora_rank`));
  let kvCache: KvCacheShape;
  if (loraRank !== undefined) {
    // Multi-head latent attention (DeepSeek V2/V3): the cache holds the latent plus the rotary part.
    kvCache = { kind: 'mla', latentDim: loraRank + (num(read(meta, `${arch}.rope.dimension_count`)) ?? 0) };
  } else {
    const kvHeads = num(read(meta, `${arch}.attention.head_count_kv`)) ?? heads;
    const width = num(read(meta, `${arch}.embedding_length`));
    const headDim =
      num(read(meta, `${arch}.attention.key_length`)) ??
      (width !== undefined && heads ? width / heads : undefined);
    if (kvHeads === undefined || headDim === undefined)
      return {
        ok: false,
        reason: `${source}: ${arch}.attention.head_count_kv or the head dimension missing`,
      };
    kvCache = { kind: 'gqa', kvHeads, headDim };
  }
  const routed = num(read(meta, `${arch}.expert_count`));
  const perToken = num(read(meta, `${arch}.expert_used_count`));
  const label = read(meta, 'general.size_label');
  const size = typeof label === 'string' ? /^(\d+(?:\.\d+)?)B$/i.exec(label.trim()) : null;
  const name = read(meta, 'general.name');
  return {
    ok: true,
    value: {
      architecture: arch,
      ...(typeof name === 'string' ? { name } : {}),
      layers,
      kvCache,
      contextTokens: context,
      ...(routed && perToken ? { experts: { routed, perToken } } : {}),
      ...(size ? { paramsTotalB: Number(size[1]) } : {}),
      provenance: { kind: 'computed', from: `the GGUF header of ${source}` },
    },
  };
}

/** A catalogue-shaped model from a GGUF header: architecture from the file, licence from a matched catalogue entry. */
export function modelFromGguf(
  arch: GgufArchitecture,
  base: OpenWeightModel,
  paramsTotalB?: number,
): OpenWeightModel {
  const total = paramsTotalB ?? arch.paramsTotalB ?? base.paramsTotalB;
  return {
    ...base,
    paramsTotalB: total,
    paramsActiveB: arch.experts ? base.paramsActiveB : total,
    layers: arch.layers,
    kvCache: arch.kvCache,
    contextTokens: arch.contextTokens,
    ...(arch.experts ? { experts: arch.experts } : {}),
    provenance: arch.provenance,
  };
}
