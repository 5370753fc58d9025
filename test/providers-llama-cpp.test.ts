// The embedded llama.cpp provider against a real (tiny, random-weight) GGUF model written by the test.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getLlamaGpuTypes, readGgufFileInfo } from 'node-llama-cpp';
import { TINY_GGUF_MODEL, writeTinyGguf } from '../src/demo/tiny-gguf.ts';
import { createLlamaCppProvider, type LlamaCppProvider } from '../src/providers/llama-cpp.ts';
import { VerdictError } from '../src/spec/errors.ts';
import type { GenerateRequest } from '../src/spec/provider.ts';

const dir = mkdtempSync(join(tmpdir(), 'verdict-llama-cpp-'));
const modelPath = join(dir, 'tiny.gguf');
// One thread: the tests share 2 cores with other work, where more threads crawl.
let provider: LlamaCppProvider;

const chat = (question: string, maxTokens = 16): GenerateRequest => ({
  messages: [
    { role: 'system', content: 'Answer in one short sentence.' },
    { role: 'user', content: question },
  ],
  params: { temperature: 0, max_tokens: maxTokens },
});

before(async () => {
  await writeTinyGguf(modelPath);
  provider = createLlamaCppProvider({ modelPath, threads: 1 });
});

after(async () => {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tiny GGUF model', () => {
  test('the same seed writes the same bytes, another seed other weights', async () => {
    const again = join(dir, 'again.gguf');
    const other = join(dir, 'other.gguf');
    await writeTinyGguf(again);
    await writeTinyGguf(other, { seed: 2 });
    assert.deepEqual(readFileSync(again), readFileSync(modelPath));
    assert.notDeepEqual(readFileSync(other), readFileSync(modelPath));
    const size = statSync(modelPath).size;
    assert.ok(size > 100_000 && size < 1_000_000, `a few hundred KB, got ${size} bytes`);
  });

  test('scripts/make-tiny-gguf.ts writes the same model', () => {
    const out = join(dir, 'from-script.gguf');
    const script = join(import.meta.dirname, '..', 'scripts', 'make-tiny-gguf.ts');
    const printed = execFileSync(process.execPath, [script, out], { encoding: 'utf8' });
    assert.match(printed, /noise/);
    assert.deepEqual(readFileSync(out), readFileSync(modelPath));
  });

  test('readGgufFileInfo reads back the metadata and tensors written', async () => {
    const info = await readGgufFileInfo(modelPath, { logWarnings: false });
    assert.equal(info.version, 3);
    const { general, tokenizer } = info.metadata;
    assert.equal(general.architecture, 'llama');
    assert.equal(general.name, TINY_GGUF_MODEL.name);
    assert.equal(info.architectureMetadata.context_length, TINY_GGUF_MODEL.contextLength);
    assert.equal(info.architectureMetadata.embedding_length, TINY_GGUF_MODEL.embeddingLength);
    assert.equal(info.architectureMetadata.block_count, TINY_GGUF_MODEL.blockCount);
    assert.equal(info.architectureMetadata.attention?.head_count_kv, TINY_GGUF_MODEL.headCountKv);

    assert.equal(tokenizer.ggml.model, 'llama');
    const tokens = tokenizer.ggml.tokens ?? [];
    assert.equal(tokenizer.ggml.scores?.length, tokens.length);
    assert.equal(tokenizer.ggml.token_type?.length, tokens.length);
    for (let byte = 0; byte < 256; byte++) {
      assert.ok(
        tokens.includes(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`),
        `byte token ${byte}`,
      );
    }
    assert.equal(tokens[tokenizer.ggml.bos_token_id ?? -1], '<s>');
    assert.equal(tokens[tokenizer.ggml.eos_token_id ?? -1], '<|im_end|>');
    assert.match(tokenizer.chat_template ?? '', /<\|im_start\|>/);

    const tensors = info.tensorInfo ?? [];
    assert.equal(tensors.length, 3 + 9 * TINY_GGUF_MODEL.blockCount);
    for (const name of [
      'token_embd.weight',
      'output_norm.weight',
      'output.weight',
      'blk.1.ffn_down.weight',
    ]) {
      assert.ok(
        tensors.some((tensor) => tensor.name === name),
        name,
      );
    }
    for (const tensor of tensors) assert.equal(Number(tensor.offset) % 32, 0, `${tensor.name} aligned`);
    assert.equal((info.infoEndOffset ?? 1) % 32, 0, 'data section aligned');
  });
});

describe('llama-cpp provider', () => {
  test('loads lazily, once, however many calls follow', async () => {
    const fresh = createLlamaCppProvider({ modelPath, threads: 1, id: 'llama-cpp:tiny' });
    try {
      assert.equal(fresh.id, 'llama-cpp:tiny');
      assert.equal(fresh.info(), undefined, 'nothing loaded before the first call');
      for (const question of ['one?', 'two?', 'three?']) await fresh.generate(chat(question, 4));
      const info = fresh.info();
      assert.equal(info?.modelLoads, 1);
      assert.equal(info?.modelName, TINY_GGUF_MODEL.name);
      assert.equal(info?.chatWrapper, 'ChatML', 'the wrapper comes from the GGUF chat template');
      assert.equal(info?.threads, 1);
    } finally {
      await fresh.close();
    }
    await assert.rejects(fresh.generate(chat('after close?')), { code: 'PROVIDER_ERROR' });
  });

  test('generates from chat messages with timings and tokenizer usage', async () => {
    const generation = await provider.generate(chat('Is the cat fast?', 12));
    assert.equal(typeof generation.text, 'string');
    assert.ok(generation.text.length > 0);
    assert.ok(generation.ttftMs !== null && generation.ttftMs >= 0, `ttft ${generation.ttftMs}`);
    assert.ok(generation.ttftMs <= generation.durationMs, 'first token comes before the end');
    assert.equal(generation.usage.source, 'tokenizer');
    assert.ok(generation.usage.inputTokens > 0);
    assert.ok(generation.usage.outputTokens > 0 && generation.usage.outputTokens <= 12);
    assert.ok(['stop', 'length'].includes(generation.finishReason), generation.finishReason);
    assert.equal(generation.responseModel, TINY_GGUF_MODEL.name);
  });

  test('input tokens count the whole templated conversation', async () => {
    const short = await provider.generate(chat('Hi?', 1));
    const long = await provider.generate({
      messages: [
        ...chat('Hi?').messages,
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'And?' },
      ],
      params: { temperature: 0, max_tokens: 1 },
    });
    assert.ok(
      long.usage.inputTokens > short.usage.inputTokens + 4,
      `${long.usage.inputTokens} vs ${short.usage.inputTokens}`,
    );
  });

  test('max_tokens caps the output and reports length', async () => {
    const generation = await provider.generate(chat('Tell me everything.', 3));
    // The tiny model's output layer never favours end-of-turn, so greedy decoding runs to the cap.
    assert.equal(generation.usage.outputTokens, 3);
    assert.equal(generation.finishReason, 'length');
  });

  test('same seed and temperature give the same text', async () => {
    const first = await provider.generate(chat('Is the dog good?', 24));
    const second = await provider.generate(chat('Is the dog good?', 24));
    assert.equal(second.text, first.text);
    const sampled = {
      ...chat('Is the dog good?', 24),
      params: { temperature: 0.9, seed: 42, max_tokens: 24 },
    };
    assert.equal((await provider.generate(sampled)).text, (await provider.generate(sampled)).text);
  });

  test('a stop string ends the text just before it', async () => {
    const full = await provider.generate(chat('Is the cat fast?', 24));
    const stop = full.text.slice(6, 10);
    assert.equal(stop.length, 4, `output long enough to cut: ${JSON.stringify(full.text)}`);
    const cut = await provider.generate({
      ...chat('Is the cat fast?', 24),
      params: { temperature: 0, max_tokens: 24, stop: [stop] },
    });
    assert.equal(cut.text, full.text.slice(0, full.text.indexOf(stop)));
    assert.equal(cut.finishReason, 'stop');
  });

  test('concurrent calls all succeed and match the same calls made one by one', async () => {
    const questions = ['a?', 'is it cheap?', 'open or api?', 'why?'];
    const together = await Promise.all(questions.map((question) => provider.generate(chat(question, 8))));
    for (const [i, question] of questions.entries()) {
      const alone = await provider.generate(chat(question, 8));
      assert.equal(together[i]?.text, alone.text, `call ${i} was not disturbed by the others`);
      assert.ok((together[i]?.usage.outputTokens ?? 0) > 0);
    }
  });

  test('parallel sequences serve concurrent calls', async () => {
    const parallel = createLlamaCppProvider({ modelPath, threads: 1, parallel: 2 });
    try {
      const results = await Promise.all(
        ['x?', 'y?', 'z?'].map((question) => parallel.generate(chat(question, 6))),
      );
      for (const result of results) assert.ok(result.usage.outputTokens > 0);
      assert.equal(parallel.info()?.parallel, 2);
    } finally {
      await parallel.close();
    }
  });

  test('an aborted signal rejects with its reason', async () => {
    const reason = new Error('stop now');
    await assert.rejects(provider.generate(chat('abort?'), { signal: AbortSignal.abort(reason) }), reason);
  });

  test('a prompt longer than the context is a clear error', async () => {
    const small = createLlamaCppProvider({ modelPath, threads: 1, contextSize: 256 });
    try {
      await assert.rejects(small.generate(chat('the cat '.repeat(400))), (error: unknown) => {
        assert.ok(VerdictError.isInstance(error));
        assert.equal(error.code, 'PROVIDER_ERROR');
        assert.match(error.message, /prompt has \d+ tokens but the context holds \d+/);
        return true;
      });
    } finally {
      await small.close();
    }
  });
});

describe('llama-cpp provider: model load failures', () => {
  const expectLoadFailure = async (path: string, reason: RegExp, options: { gpu?: 'cuda' } = {}) => {
    const broken = createLlamaCppProvider({ modelPath: path, threads: 1, ...options });
    try {
      await assert.rejects(broken.generate(chat('hello?')), (error: unknown) => {
        assert.ok(VerdictError.isInstance(error), String(error));
        assert.equal(error.code, 'MODEL_LOAD_FAILED');
        assert.ok(error.message.startsWith(`cannot load model ${path}: `), error.message);
        assert.match(error.message, reason);
        assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace in the message');
        return true;
      });
    } finally {
      await broken.close();
    }
  };

  test('a missing file', () => expectLoadFailure(join(dir, 'missing.gguf'), /file not found/));

  test('a file that is not GGUF', () => {
    const path = join(dir, 'notes.gguf');
    writeFileSync(path, 'just some text, not a model\n');
    return expectLoadFailure(path, /not a GGUF file/);
  });

  test('a directory', () => {
    const path = join(dir, 'a-directory.gguf');
    mkdirSync(path);
    return expectLoadFailure(path, /not a file/);
  });

  test('a named GPU that cannot load fails instead of running on the CPU', async (t) => {
    if ((await getLlamaGpuTypes('supported')).includes('cuda')) return t.skip('this machine has CUDA');
    await expectLoadFailure(modelPath, /cuda binary does not work on this machine/, { gpu: 'cuda' });
  });

  test('a truncated GGUF file carries llama.cpp reason', () => {
    const path = join(dir, 'truncated.gguf');
    writeFileSync(path, readFileSync(modelPath).subarray(0, 200_000));
    return expectLoadFailure(path, /not within the file bounds|corrupted|incomplete/);
  });
});
