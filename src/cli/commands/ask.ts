// `verdict ask [RUN] "QUESTION"`: answers from the stored decision and its evidence only.
import { askDecision } from '../../ask/ask-decision.ts';
import { VerdictError } from '../../spec/errors.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { resolveRunId } from './report.ts';

export const help = `verdict ask [RUN] "QUESTION"

Answers a question about a stored decision (the newest completed run when RUN is not given) from
its facts only: every reason, caveat, removal, cost row and pass rate, each with an id (F1, F2…).
The facts closest to the question (MiniSearch) go to a model, which must cite them; an answer that
cites nothing, or a fact it was not given, is refused and the facts are shown instead.
"What if" questions on the volume ("what if we double the volume?", "at 10M requests a month?")
or the margin ("what if the margin were 2 points?") are answered by deciding again with that input,
not by a model. Under constraints.on_prem a model outside the premises is refused before any call.

Flags:
  --model ID      who answers: a candidate of the run, "judge" (default: the workload's judge), or
                  provider:model (with --base-url for an openai-compatible endpoint)
  --base-url URL  the endpoint of a provider:model given with --model
  --facts N       how many facts the model gets (default 8)
  --store PATH    the SQLite store (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --json          print the answer, its citations and the facts as JSON
  -h, --help      this help
Exit codes: 0 answered (or refused, with the facts shown), 2 bad input, 3 the model's call failed.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      model: { type: 'string' },
      'base-url': { type: 'string' },
      facts: { type: 'string' },
      store: { type: 'string' },
      json: { type: 'boolean' },
    },
    'ask',
    { min: 1, max: 2 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const question = positionals.at(-1)!;
  const limit = values.facts === undefined ? 8 : Number(values.facts);
  if (!(Number.isInteger(limit) && limit > 0))
    throw new VerdictError('USAGE', `--facts expects a whole number above 0, got "${values.facts}"`);
  const store = openSqliteStore((values.store as string | undefined) ?? defaultStorePath(io.env));
  try {
    const runId = await resolveRunId(store, positionals.length === 2 ? positionals[0] : undefined, (text) =>
      io.stderr.write(`verdict ask: ${text}`),
    );
    const answer = await askDecision(store, runId, question, {
      ...(values.model ? { model: values.model as string } : {}),
      ...(values['base-url'] ? { baseUrl: values['base-url'] as string } : {}),
      env: io.env,
      baseDir: io.cwd,
      limit,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ schemaVersion: 1, command: 'ask', runId, question, ...answer }, null, 2)}\n`,
      );
      return 0;
    }
    const factLines = (facts: Array<{ id: string; text: string }>) =>
      facts.map((f) => `  [${f.id}] ${f.text}`);
    const lines: string[] = [];
    if (answer.kind === 'what-if') {
      const c = answer.change;
      const changed =
        c.kind === 'volume'
          ? `${c.requestsPerMonth.toLocaleString('en-US')} requests a month (now ${answer.before.requestsPerMonth?.toLocaleString('en-US') ?? 'not set'})`
          : c.kind === 'price'
            ? `${c.candidateId}'s price × ${Number(c.factor.toPrecision(4))} (${c.factor >= 1 ? '+' : '−'}${Number((Math.abs(c.factor - 1) * 100).toPrecision(3))}%)`
            : `a non-inferiority margin of ${(c.margin * 100).toFixed(1)} points (now ${(answer.before.margin * 100).toFixed(1)})`;
      lines.push(
        `What if: ${changed} — decided again on run ${runId}, not answered by a model.`,
        `  pick:      ${answer.after.winner ?? 'none'}${answer.after.winner === answer.before.winner ? ' (unchanged)' : ` (was ${answer.before.winner ?? 'none'})`}${answer.after.monthlyUsd !== undefined ? `, $${answer.after.monthlyUsd.toLocaleString('en-US', { maximumFractionDigits: 2 })} a month` : ''}`,
        `  runner-up: ${answer.after.runnerUp ?? 'none'}`,
        '',
        'The re-computed decision:',
        ...factLines(answer.facts),
      );
    } else if (answer.kind === 'answer') {
      lines.push(answer.answer, '', `Cited facts (answered by ${answer.model}):`, ...factLines(answer.cited));
    } else {
      lines.push(
        `Refused: ${answer.reason}. ${answer.model} answered:`,
        ...answer.answer.split('\n').map((line) => `  > ${line}`),
        '',
        'The facts retrieved for the question:',
        ...factLines(answer.facts),
      );
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
