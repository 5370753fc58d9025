import { VerdictError } from '../spec/errors.ts';
import type { ChatMessage } from '../spec/workload.ts';
import type { Random } from './random.ts';
import type { LengthDistribution, PromptSource } from './types.ts';

/** One prompt ready to send, with our own estimate of its input tokens. */
export interface PreparedPrompt {
  messages: ChatMessage[];
  estimatedInputTokens: number;
  maxTokens: number | null;
}

// Short, common English words: each is one token in the BPE vocabularies of the usual open
// models (Llama, Qwen, Mistral, GPT-2 family) when preceded by a space, so N words ≈ N tokens.
const WORDS = (
  'the of and to in is for on that with as at by from it be this are was or an have not but ' +
  'all can one time new more will about which when there what so up out if some into them ' +
  'would make like him than first been call who its now find long down day did get come made may part'
).split(' ');

/** Draws a length (≥ 1, whole) from a distribution. */
export function drawLength(distribution: LengthDistribution, random: Random): number {
  switch (distribution.kind) {
    case 'fixed':
      return Math.max(1, Math.round(distribution.value));
    case 'uniform':
      return Math.max(1, random.integer(Math.ceil(distribution.min), Math.floor(distribution.max)));
    case 'normal': {
      const min = distribution.min ?? 1;
      const max = distribution.max ?? Number.POSITIVE_INFINITY;
      const value = Math.round(distribution.mean + distribution.sd * random.normal());
      return Math.max(1, min, Math.min(max, value));
    }
  }
}

export function validateLength(distribution: LengthDistribution, what: string): void {
  const bad = (why: string): never => {
    throw new VerdictError('USAGE', `${what}: ${why}`);
  };
  switch (distribution.kind) {
    case 'fixed':
      if (!(distribution.value >= 1)) bad(`a fixed length must be ≥ 1, got ${distribution.value}`);
      return;
    case 'uniform':
      if (!(distribution.min >= 1) || !(distribution.max >= distribution.min)) {
        bad(`a uniform length needs 1 ≤ min ≤ max, got ${distribution.min}..${distribution.max}`);
      }
      return;
    case 'normal':
      if (!(distribution.mean >= 1) || !(distribution.sd >= 0)) {
        bad(
          `a normal length needs mean ≥ 1 and sd ≥ 0, got mean ${distribution.mean}, sd ${distribution.sd}`,
        );
      }
      return;
  }
}

export function describeLength(distribution: LengthDistribution | undefined): string {
  if (!distribution) return 'server default';
  switch (distribution.kind) {
    case 'fixed':
      return `${distribution.value}`;
    case 'uniform':
      return `uniform ${distribution.min}-${distribution.max}`;
    case 'normal':
      return `normal ${distribution.mean}±${distribution.sd}`;
  }
}

export function describePrompts(source: PromptSource): string {
  return source.kind === 'messages'
    ? `${source.conversations.length} given conversations (${source.order ?? 'cycle'})`
    : `synthetic, input tokens ${describeLength(source.inputTokens)}`;
}

/** Rough input size when the server reports no usage: about four characters per token in English. */
export function estimateTokens(messages: ChatMessage[]): number {
  let characters = 0;
  for (const message of messages) characters += message.content.length;
  return Math.max(1, Math.round(characters / 4));
}

/** Returns a function that gives the prompt for request i (deterministic for a seed). */
export function createPromptSource(
  source: PromptSource,
  outputTokens: LengthDistribution | undefined,
  random: Random,
): (index: number) => PreparedPrompt {
  if (source.kind === 'messages' && source.conversations.length === 0) {
    throw new VerdictError('USAGE', 'prompts: the list of conversations is empty');
  }
  if (source.kind === 'synthetic') validateLength(source.inputTokens, 'input tokens');
  if (outputTokens) validateLength(outputTokens, 'output tokens');

  return (index) => {
    const maxTokens = outputTokens ? drawLength(outputTokens, random) : null;
    if (source.kind === 'messages') {
      const { conversations } = source;
      const pick =
        source.order === 'random'
          ? random.integer(0, conversations.length - 1)
          : index % conversations.length;
      const messages = conversations[pick]!;
      return { messages, estimatedInputTokens: estimateTokens(messages), maxTokens };
    }
    const length = drawLength(source.inputTokens, random);
    // A random start for every prompt keeps servers' prefix caches from flattering the figures.
    const words: string[] = [];
    for (let i = 0; i < length; i++) words.push(WORDS[random.integer(0, WORDS.length - 1)]!);
    return {
      messages: [{ role: 'user', content: words.join(' ') }],
      estimatedInputTokens: length,
      maxTokens,
    };
  };
}
