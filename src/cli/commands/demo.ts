// `verdict demo`: the whole pipeline on this machine alone — the embedded llama.cpp runtime and an
// OpenAI-compatible endpoint (a labelled local stand-in unless --base-url names a real one).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { demoCacheDir, demoWorkloadFile } from '../../demo/demo-paths.ts';
import { startStandInServer } from '../../demo/openai-stand-in-server.ts';
import { classifyTicket } from '../../demo/ticket-rules.ts';
import { TINY_GGUF_MODEL, writeTinyGguf } from '../../demo/tiny-gguf.ts';
import { VerdictError } from '../../spec/errors.ts';
import type { Workload } from '../../spec/workload.ts';
import { defaultStorePath } from '../../store/default-location.ts';
import { openStore } from '../../store/open-store.ts';
import { loadWorkload } from '../../workload/load-workload.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';
import { runAndReport } from '../run-and-report.ts';

export const help = `verdict demo

Runs verdict's whole job on this machine: the demo workload (examples/demo, 30 support tickets)
against three candidates — the embedded llama.cpp runtime on a local GGUF model, a frontier API
and open weights (Llama 3.1 8B) served by an OpenAI-compatible endpoint — then grades, prices the
workload three ways (the frontier API at its published price, the open weights self-hosted on an
L4, the same weights on managed APIs), decides and prints the report.

Without --model, the demo generates a tiny random-weight model: its answers are noise, and the
figures show the pipeline, not a model's quality. The frontier API, and the open weights unless
--base-url names a real endpoint, are a local stand-in server on 127.0.0.1 answering with keyword
rules: their prices are demonstration prices, labelled as such in the report.

Flags:
  --model PATH        a real GGUF model for the embedded candidate
  --base-url URL      a real OpenAI-compatible endpoint serving the open weights (e.g. vLLM at
                      http://127.0.0.1:8000/v1)
  --endpoint-model M  the model name to ask that endpoint for (default: the workload's)
  --threads N         CPU threads for the embedded runtime
  --store PATH        SQLite store file (default: $VERDICT_STORE, else ~/.local/share/verdict/verdict.db)
  --json              print the report as JSON on stdout
  --no-color          no colour (also: NO_COLOR=1)
  -h, --help          this help
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      model: { type: 'string' },
      'base-url': { type: 'string' },
      'endpoint-model': { type: 'string' },
      threads: { type: 'string' },
      store: { type: 'string' },
      json: { type: 'boolean' },
    },
    'demo',
    { min: 0, max: 0 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
    throw new VerdictError('USAGE', `--threads expects a positive integer, got "${values.threads}"`);
  }

  const caveats: string[] = [];
  let modelPath = values.model === undefined ? undefined : path.resolve(io.cwd, values.model as string);
  if (modelPath && !existsSync(modelPath))
    throw new VerdictError('USAGE', `--model ${values.model}: no such file`);
  if (!modelPath) {
    modelPath = path.join(demoCacheDir(io.env), 'tiny-random-llama.gguf');
    if (!existsSync(modelPath)) {
      io.stderr.write(`generating a tiny random-weight model at ${modelPath}\n`);
      await writeTinyGguf(modelPath);
    }
    caveats.push(
      `local runs ${TINY_GGUF_MODEL.name}, a tiny model with random weights generated on this machine: its answers are noise. These figures show the pipeline working, not a model's quality; pass --model PATH.gguf for a real model.`,
    );
  }

  const base = await loadWorkload(demoWorkloadFile);
  // The frontier candidate always answers from the stand-in (the demo holds no API key).
  const standIn = await startStandInServer({
    answer: (messages) => classifyTicket(messages.at(-1)?.content ?? ''),
  });
  try {
    const workload: Workload = {
      ...base,
      candidates: base.candidates.map((candidate) => {
        if (candidate.provider === 'llama-cpp') {
          return {
            ...candidate,
            model: `llama-cpp:${modelPath}`,
            modelName: modelPath!,
            ...(threads ? { threads } : {}),
          };
        }
        // Without --base-url both API-shaped candidates are one local stand-in: their prices (the
        // frontier's published one, the managed routes', an L4's) apply to its token counts, labelled.
        const real = candidate.id === 'open-8b' && values['base-url'] !== undefined;
        if (real) {
          const modelName = (values['endpoint-model'] as string | undefined) ?? candidate.modelName;
          return {
            ...candidate,
            model: `openai-compatible:${modelName}`,
            modelName,
            baseUrl: values['base-url'] as string,
          };
        }
        return {
          ...candidate,
          baseUrl: standIn!.url,
          label: `a local stand-in server answering with keyword rules, not a model: its figures are demonstration prices of ${candidate.id === 'frontier' ? "gpt-4o at OpenAI's published price" : 'Llama 3.1 8B self-hosted on an AWS L4 and on managed APIs'} applied to the stand-in's tokens`,
        };
      }),
    };
    const store = await openStore((values.store as string | undefined) ?? defaultStorePath(io.env));
    try {
      return await runAndReport(workload, io, {
        store,
        json: Boolean(values.json),
        caveats,
        ...(values['no-color'] ? { color: false } : {}),
      });
    } finally {
      await store.close();
    }
  } finally {
    await standIn.close();
  }
}
