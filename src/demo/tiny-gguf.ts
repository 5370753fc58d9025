// Writes a tiny llama-architecture GGUF model with seeded random weights, so the embedded
// runtime (node-llama-cpp) can be exercised end to end without downloading a real model.
// Hand-written because no npm package writes GGUF files (they only read them); the format is
// small: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (v3, little-endian).
//
// Its answers are noise. It exists to prove the loading, chat-template, streaming and timing
// code paths on any machine, in well under a second.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What the tiny model is, for reports that must say its answers mean nothing. */
export const TINY_GGUF_MODEL = {
  name: 'verdict-tiny-random',
  architecture: 'llama',
  label: 'stand-in with random weights: its answers are noise, only its plumbing and timings are real',
  embeddingLength: 64,
  blockCount: 2,
  feedForwardLength: 128,
  headCount: 4,
  headCountKv: 2,
  contextLength: 2048,
  chatTemplate: 'chatml',
} as const;

export interface TinyGgufOptions {
  /** Seed of the weights; the same seed writes the same bytes. Default 1. */
  seed?: number;
}

// ChatML: node-llama-cpp recognises it and picks its ChatML wrapper, as it would for a real model.
const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// biome-ignore format: a word list reads best packed
const WORDS = [
  'the', 'a', 'is', 'of', 'and', 'to', 'in', 'it', 'you', 'that', 'yes', 'no', 'not', 'model', 'answer',
  'hello', 'world', 'cat', 'dog', 'tiny', 'noise', 'token', 'random', 'verdict', 'cost', 'fast', 'slow',
  'good', 'bad', 'cheap', 'open', 'api', 'self', 'host', 'split', 'traffic', 'maybe', 'because',
];

const ALIGNMENT = 32;
const SPACE = '\u2581'; // SentencePiece's visible space

// llama.cpp token types
const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

interface Vocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
  /** Ids the output layer never favours (specials, bytes), so greedy decoding emits words. */
  quiet: Set<number>;
}

function buildVocabulary(): Vocabulary {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const quiet = new Set<number>();
  const add = (text: string, type: number, score = 0) => {
    if (tokens.includes(text)) return;
    if (type !== TOKEN_NORMAL) quiet.add(tokens.length);
    tokens.push(text);
    scores.push(score);
    types.push(type);
  };
  add('<unk>', TOKEN_UNKNOWN);
  add('<s>', TOKEN_CONTROL);
  add('</s>', TOKEN_CONTROL);
  add('<|im_start|>', TOKEN_CONTROL);
  add('<|im_end|>', TOKEN_CONTROL);
  // Byte fallback: any text the pieces below cannot cover still tokenizes.
  for (let byte = 0; byte < 256; byte++) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, TOKEN_BYTE);
  }
  for (const char of `${SPACE}abcdefghijklmnopqrstuvwxyz0123456789.,!?`) add(char, TOKEN_NORMAL, -1000);
  // SentencePiece merges pairs present in the vocabulary, so every prefix of a word must be a piece.
  for (const word of WORDS) {
    const piece = SPACE + word;
    for (let end = 2; end <= piece.length; end++) add(piece.slice(0, end), TOKEN_NORMAL, -end);
  }
  return { tokens, scores, types, quiet };
}

type MetadataValue =
  | { type: 'uint32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'float32[]'; value: number[] }
  | { type: 'int32[]'; value: number[] };

interface Tensor {
  name: string;
  /** ggml order: the first dimension is the row length. */
  dims: number[];
  data: Float32Array;
}

// GGUF metadata value types
const GGUF_UINT32 = 4;
const GGUF_INT32 = 5;
const GGUF_FLOAT32 = 6;
const GGUF_BOOL = 7;
const GGUF_STRING = 8;
const GGUF_ARRAY = 9;
const GGML_TYPE_F32 = 0;

/** Appends little-endian values to a list of chunks. */
class ByteWriter {
  readonly chunks: Buffer[] = [];
  length = 0;

  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    if (pad > 0) this.push(Buffer.alloc(pad));
  }
}

function writeMetadataValue(out: ByteWriter, entry: MetadataValue): void {
  switch (entry.type) {
    case 'uint32':
      out.u32(GGUF_UINT32);
      out.u32(entry.value);
      return;
    case 'float32':
      out.u32(GGUF_FLOAT32);
      out.f32(entry.value);
      return;
    case 'bool':
      out.u32(GGUF_BOOL);
      out.push(Buffer.from([entry.value ? 1 : 0]));
      return;
    case 'string':
      out.u32(GGUF_STRING);
      out.string(entry.value);
      return;
    case 'string[]':
      out.u32(GGUF_ARRAY);
      out.u32(GGUF_STRING);
      out.u64(entry.value.length);
      for (const item of entry.value) out.string(item);
      return;
    case 'float32[]':
      out.u32(GGUF_ARRAY);
      out.u32(GGUF_FLOAT32);
      out.u64(entry.value.length);
      for (const item of entry.value) out.f32(item);
      return;
    case 'int32[]':
      out.u32(GGUF_ARRAY);
      out.u32(GGUF_INT32);
      out.u64(entry.value.length);
      for (const item of entry.value) out.i32(item);
      return;
  }
}

/** Serialises a GGUF v3 file: header, metadata, tensor infos, then 32-byte-aligned f32 tensor data. */
export function encodeGguf(metadata: Record<string, MetadataValue>, tensors: Tensor[]): Buffer {
  const out = new ByteWriter();
  out.push(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(Object.keys(metadata).length);
  for (const [key, entry] of Object.entries(metadata)) {
    out.string(key);
    writeMetadataValue(out, entry);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.padTo(ALIGNMENT);
  for (const tensor of tensors) {
    out.push(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.padTo(ALIGNMENT);
  }
  return Buffer.concat(out.chunks, out.length);
}

/** mulberry32: a small seeded generator, so the same seed gives the same weights everywhere. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the metadata and tensors of the tiny model. */
export function buildTinyModel(options: TinyGgufOptions = {}): {
  metadata: Record<string, MetadataValue>;
  tensors: Tensor[];
} {
  const m = TINY_GGUF_MODEL;
  const random = seededRandom(options.seed ?? 1);
  const vocab = buildVocabulary();
  const nVocab = vocab.tokens.length;
  const headDim = m.embeddingLength / m.headCount;
  const kvDim = headDim * m.headCountKv;

  // Uniform in ±√3/√fanIn: unit-variance activations, so logits spread and greedy picks vary.
  const weights = (rowLength: number, rows: number, scale = 1): Float32Array => {
    const data = new Float32Array(rowLength * rows);
    const bound = (scale * Math.sqrt(3)) / Math.sqrt(rowLength);
    for (let i = 0; i < data.length; i++) data[i] = (random() * 2 - 1) * bound;
    return data;
  };
  const ones = (n: number) => new Float32Array(n).fill(1);

  const output = weights(m.embeddingLength, nVocab, 4);
  for (const id of vocab.quiet) output.fill(0, id * m.embeddingLength, (id + 1) * m.embeddingLength);

  const tensors: Tensor[] = [
    {
      name: 'token_embd.weight',
      dims: [m.embeddingLength, nVocab],
      data: weights(m.embeddingLength, nVocab, Math.sqrt(m.embeddingLength)),
    },
  ];
  for (let block = 0; block < m.blockCount; block++) {
    const p = `blk.${block}`;
    const e = m.embeddingLength;
    tensors.push(
      { name: `${p}.attn_norm.weight`, dims: [e], data: ones(e) },
      { name: `${p}.attn_q.weight`, dims: [e, e], data: weights(e, e) },
      { name: `${p}.attn_k.weight`, dims: [e, kvDim], data: weights(e, kvDim) },
      { name: `${p}.attn_v.weight`, dims: [e, kvDim], data: weights(e, kvDim) },
      { name: `${p}.attn_output.weight`, dims: [e, e], data: weights(e, e) },
      { name: `${p}.ffn_norm.weight`, dims: [e], data: ones(e) },
      { name: `${p}.ffn_gate.weight`, dims: [e, m.feedForwardLength], data: weights(e, m.feedForwardLength) },
      { name: `${p}.ffn_up.weight`, dims: [e, m.feedForwardLength], data: weights(e, m.feedForwardLength) },
      { name: `${p}.ffn_down.weight`, dims: [m.feedForwardLength, e], data: weights(m.feedForwardLength, e) },
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [m.embeddingLength], data: ones(m.embeddingLength) },
    { name: 'output.weight', dims: [m.embeddingLength, nVocab], data: output },
  );

  const metadata: Record<string, MetadataValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: m.name },
    'general.description': { type: 'string', value: m.label },
    'general.file_type': { type: 'uint32', value: 0 }, // all f32
    'general.alignment': { type: 'uint32', value: ALIGNMENT },
    'llama.context_length': { type: 'uint32', value: m.contextLength },
    'llama.embedding_length': { type: 'uint32', value: m.embeddingLength },
    'llama.block_count': { type: 'uint32', value: m.blockCount },
    'llama.feed_forward_length': { type: 'uint32', value: m.feedForwardLength },
    'llama.attention.head_count': { type: 'uint32', value: m.headCount },
    'llama.attention.head_count_kv': { type: 'uint32', value: m.headCountKv },
    'llama.rope.dimension_count': { type: 'uint32', value: headDim },
    'llama.rope.freq_base': { type: 'float32', value: 10000 },
    'llama.attention.layer_norm_rms_epsilon': { type: 'float32', value: 1e-5 },
    'llama.vocab_size': { type: 'uint32', value: nVocab },
    'tokenizer.ggml.model': { type: 'string', value: 'llama' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: vocab.tokens },
    'tokenizer.ggml.scores': { type: 'float32[]', value: vocab.scores },
    'tokenizer.ggml.token_type': { type: 'int32[]', value: vocab.types },
    'tokenizer.ggml.unknown_token_id': { type: 'uint32', value: vocab.tokens.indexOf('<unk>') },
    'tokenizer.ggml.bos_token_id': { type: 'uint32', value: vocab.tokens.indexOf('<s>') },
    'tokenizer.ggml.eos_token_id': { type: 'uint32', value: vocab.tokens.indexOf('<|im_end|>') },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: true },
    'tokenizer.ggml.add_eos_token': { type: 'bool', value: false },
    'tokenizer.chat_template': { type: 'string', value: CHAT_TEMPLATE },
  };
  return { metadata, tensors };
}

/** Writes the tiny random-weight model to `path` (creating its directory). */
export async function writeTinyGguf(path: string, options: TinyGgufOptions = {}): Promise<void> {
  const { metadata, tensors } = buildTinyModel(options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, encodeGguf(metadata, tensors));
}
