// One judge prompt asked once: answered from the store's judge cache, from the same prompt already
// in flight in this pass, or by a call whose reply is cached (when usable) and recorded per run.
import { createHash } from 'node:crypto';
import { type JudgeVerdict, parseJudgeReply, type ReplyShape } from '../grade/judge-call.ts';
import { redactSecrets } from '../providers/api-keys.ts';
import { classifyProviderError } from '../providers/classify-error.ts';
import type { Candidate, ChatMessage } from '../spec/workload.ts';
import type { JudgeAnswer } from './judge-client.ts';
import { judgeEndpoint, type PassState } from './judge-pass-state.ts';

/** Asks a judge (or its cache) one prompt; returns the verdict or why there is none. */
export async function ask(
  state: PassState,
  judge: Candidate,
  prompt: string,
  reply: ReplyShape,
  sample = 0,
): Promise<JudgeVerdict | string> {
  const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
  // A repeated ask (judges.repeat) is its own call: the sample is in the key; the first keeps the key it always had.
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        judge.model,
        judge.baseUrl ?? null,
        judge.params,
        reply,
        messages,
        ...(sample > 0 ? [sample] : []),
      ]),
    )
    .digest('hex');
  let cached: JudgeAnswer | undefined = (await state.store.getJudgeReply(key)) ?? undefined;
  let text: string;
  let inputTokens: number | null = null;
  let outputTokens: number | null = null;
  // The same prompt asked again while its first ask is in flight waits for that answer (one call per
  // prompt in a run, as for the candidates); if that call fails, this ask makes its own.
  const earlier = cached ? undefined : state.inFlight.get(key);
  if (earlier) cached = await earlier;
  if (cached) {
    text = cached.text;
    state.summary.cachedCalls++;
  } else {
    let settle!: (answer: JudgeAnswer | undefined) => void;
    const entry = new Promise<JudgeAnswer | undefined>((resolve) => (settle = resolve));
    state.inFlight.set(key, entry);
    const client = state.clients.get(judgeEndpoint(judge))!;
    const signals = [AbortSignal.timeout(state.options.timeoutMs ?? 120_000)];
    if (state.options.signal) signals.push(state.options.signal);
    try {
      const answer = await client.ask(messages, reply, AbortSignal.any(signals));
      ({ text, inputTokens, outputTokens } = answer);
      settle(answer);
    } catch (error) {
      if (state.inFlight.get(key) === entry) state.inFlight.delete(key);
      settle(undefined);
      // A provider's error can echo a request header back: keys never reach the store or a report.
      const message = redactSecrets(classifyProviderError(error, judge.model).message, state.secrets).slice(
        0,
        300,
      );
      await state.store.recordJudgeCall({
        runId: state.runId,
        judge: judge.model,
        key,
        cached: false,
        inputTokens: null,
        outputTokens: null,
        error: message,
      });
      state.summary.calls++;
      return `the judge call failed: ${message}`;
    }
    state.summary.calls++;
  }
  const verdict = parseJudgeReply(text, reply);
  if (!cached && typeof verdict !== 'string') {
    await state.store.saveJudgeReply(key, { judge: judge.model, text, inputTokens, outputTokens });
    // The store's cache answers this prompt from now on; an unusable reply stays shared for the pass.
    state.inFlight.delete(key);
  }
  await state.store.recordJudgeCall({
    runId: state.runId,
    judge: judge.model,
    key,
    cached: Boolean(cached),
    inputTokens: cached ? (cached.inputTokens ?? null) : inputTokens,
    outputTokens: cached ? (cached.outputTokens ?? null) : outputTokens,
    error: typeof verdict === 'string' ? verdict : null,
  });
  return verdict;
}
