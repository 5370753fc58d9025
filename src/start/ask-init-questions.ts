// Asks `verdict init`'s questions on a terminal with @inquirer/prompts, skipping those already answered
// by flags. The input and output streams are the caller's, so a test can drive it with a stream.
import { checkbox, confirm, input, number, select } from '@inquirer/prompts';
import { INIT_QUESTIONS, type InitAnswers } from './init-answers.ts';

export interface PromptStreams {
  input: NodeJS.ReadableStream;
  /** A fresh stream per question: each prompt ends the stream it was given when it is answered. */
  output: () => NodeJS.WritableStream;
  signal?: AbortSignal;
}

/** The answers to the questions not already answered in `given` (raw values: validated by the caller). */
export async function askInitQuestions(
  given: Record<string, unknown>,
  streams: PromptStreams,
): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = { ...given };
  for (const question of INIT_QUESTIONS) {
    if (question.keys.every((key) => answers[key] !== undefined)) continue;
    if (question.when && !question.when(answers as Partial<InitAnswers>)) continue;
    const context = {
      input: streams.input,
      output: streams.output(),
      ...(streams.signal ? { signal: streams.signal } : {}),
    };
    const message = question.message;
    switch (question.kind) {
      case 'text':
        answers[question.keys[0]!] = await input({ message, required: true }, context);
        break;
      case 'number': {
        const required = question.keys[0] === 'requests_per_month';
        const value = await number(
          {
            message,
            required,
            min: 0,
            step: 'any',
            ...(typeof question.default === 'number' ? { default: question.default } : {}),
          },
          context,
        );
        if (value !== undefined) answers[question.keys[0]!] = value;
        break;
      }
      case 'tokens': {
        const text = await input(
          {
            message,
            default: '500/200',
            validate: (value) =>
              /^\s*\d+\s*\/\s*\d+\s*$/.test(value) || 'two whole numbers, input/output: 600/150',
          },
          context,
        );
        const [inputTokens, outputTokens] = text.split('/').map((part) => Number(part.trim()));
        answers.input_tokens = inputTokens;
        answers.output_tokens = outputTokens;
        break;
      }
      case 'confirm':
        answers[question.keys[0]!] = await confirm({ message, default: question.default === true }, context);
        break;
      case 'select': {
        const value = await select(
          {
            message,
            choices: [...question.choices!],
            ...(typeof question.default === 'string' ? { default: question.default } : {}),
          },
          context,
        );
        if (value !== '') answers[question.keys[0]!] = value;
        break;
      }
      case 'checkbox': {
        const chosen = await checkbox({ message, choices: [...question.choices!] }, context);
        for (const key of question.keys) answers[key] = chosen.includes(key);
        break;
      }
    }
  }
  return answers;
}
