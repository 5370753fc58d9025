// Reads a workload file into trusted spec types. All checks that can fail before a call is made
// happen here: shape, typos, duplicate ids, unknown providers, template variables, case files.
import path from 'node:path';
import { findGpu, GPUS } from '../cost/catalogue/gpus.ts';
import { findOpenWeightModel, OPEN_WEIGHT_MODELS } from '../cost/catalogue/open-weight-models.ts';
import { checkGraders } from '../grade/check-graders.ts';
import { splitModelId } from '../providers/provider-ids.ts';
import { providerPrefixes, servingOf } from '../providers/provider-table.ts';
import { closestKey } from '../spec/closest-key.ts';
import { VerdictError } from '../spec/errors.ts';
import type {
  Candidate,
  CandidateDeployment,
  CaseSource,
  PromptTemplate,
  TokenPriceInput,
  Workload,
} from '../spec/workload.ts';
import { positionOf } from '../yaml/source-positions.ts';
import { formatIssues, formatPath } from './format-issues.ts';
import { type InputLimits, resolveLimits } from './input-limits.ts';
import { formatFromExtension, readCases } from './read-cases.ts';
import { readTextFile } from './read-text-file.ts';
import { type WorkloadFile, workloadFileSchema } from './schema.ts';
import { templateVariables } from './template.ts';
import { parseYamlText } from './yaml-data.ts';

export interface LoadWorkloadOptions {
  /** Stream through every case to check fields and template variables (default true). */
  checkCases?: boolean;
  /** Limits raised over the defaults (`--max-file-bytes`…); they travel with a cases file. */
  limits?: Partial<InputLimits>;
}

/** Problems listed in one error; a file of 40,000 unknown keys does not print 40,000 lines. */
const SHOWN_PROBLEMS = 50;

function invalid(lines: string[]): VerdictError {
  const count = lines.length === 1 ? '' : ` (${lines.length} problems)`;
  const shown = lines.slice(0, SHOWN_PROBLEMS);
  if (lines.length > SHOWN_PROBLEMS) shown.push(`… and ${lines.length - SHOWN_PROBLEMS} more`);
  return new VerdictError(
    'WORKLOAD_INVALID',
    lines.length === 1 ? lines[0]! : `workload is invalid${count}:\n  ${shown.join('\n  ')}`,
  );
}

function toCandidate(raw: WorkloadFile['candidates'][number]): Candidate {
  const { provider, modelName } = splitModelId(raw.model);
  const params = Object.fromEntries(
    (['temperature', 'max_tokens', 'seed', 'top_p', 'stop'] as const)
      .filter((key) => raw[key] !== undefined)
      .map((key) => [key, raw[key]]),
  );
  return {
    id: raw.id,
    model: raw.model,
    provider,
    modelName,
    params,
    ...(raw.label === undefined ? {} : { label: raw.label }),
    ...(raw.base_url === undefined ? {} : { baseUrl: raw.base_url }),
    ...(raw.api_key_env === undefined ? {} : { apiKeyEnv: raw.api_key_env }),
    ...(raw.headers === undefined ? {} : { headers: raw.headers }),
    ...(raw.threads === undefined ? {} : { threads: raw.threads }),
    ...(raw.context_size === undefined ? {} : { contextSize: raw.context_size }),
    ...(raw.gpu_layers === undefined ? {} : { gpuLayers: raw.gpu_layers }),
    ...(raw.stream === undefined ? {} : { stream: raw.stream }),
    ...(raw.limits === undefined ? {} : { limits: raw.limits }),
    ...deploymentOf(raw),
  };
}

/** The candidate's stated production deployment, camel-cased; absent when it states none. */
function deploymentOf(raw: WorkloadFile['candidates'][number]): { deployment?: CandidateDeployment } {
  const p = raw.price;
  const g = raw.gpu;
  const m = raw.managed_routes;
  const deployment: CandidateDeployment = {
    ...(raw.serving === undefined ? {} : { serving: raw.serving }),
    ...(raw.hosting === undefined ? {} : { hosting: raw.hosting }),
    ...(raw.route === undefined ? {} : { route: raw.route }),
    ...(raw.region === undefined ? {} : { region: raw.region }),
    ...(raw.open_model === undefined ? {} : { openModel: raw.open_model }),
    ...(p === undefined ? {} : { price: tokenPriceOf(p) }),
    ...(raw.baa_signed === undefined ? {} : { baaSigned: raw.baa_signed }),
    ...(m === undefined
      ? {}
      : {
          managedRoutes: {
            ...(m.decide === undefined ? {} : { decide: m.decide }),
            ...(m.exclude === undefined ? {} : { exclude: m.exclude.map((h) => h.toLowerCase()) }),
            ...(m.prices === undefined
              ? {}
              : {
                  prices: Object.fromEntries(
                    Object.entries(m.prices).map(([host, price]) => [
                      host.toLowerCase(),
                      tokenPriceOf(price),
                    ]),
                  ),
                }),
          },
        }),
    ...(g === undefined
      ? {}
      : {
          gpu: {
            type: g.type,
            ...(g.count === undefined ? {} : { count: g.count }),
            ...(g.cloud === undefined ? {} : { cloud: g.cloud }),
            ...(g.usd_per_hour === undefined ? {} : { usdPerHour: g.usd_per_hour }),
            ...(g.reserved === undefined ? {} : { reserved: g.reserved }),
          },
        }),
    ...(raw.quantisation === undefined ? {} : { quantisation: raw.quantisation }),
    ...(raw.capacity_rps === undefined ? {} : { capacityRps: raw.capacity_rps }),
  };
  return Object.keys(deployment).length === 0 ? {} : { deployment };
}

type RawPrice = NonNullable<WorkloadFile['candidates'][number]['price']>;

/** A workload's token prices, camel-cased. */
function tokenPriceOf(p: RawPrice): TokenPriceInput {
  return {
    ...(p.input_per_mtok === undefined ? {} : { inputPerMTok: p.input_per_mtok }),
    ...(p.output_per_mtok === undefined ? {} : { outputPerMTok: p.output_per_mtok }),
    ...(p.cached_input_per_mtok === undefined ? {} : { cachedInputPerMTok: p.cached_input_per_mtok }),
    ...(p.cache_write_per_mtok === undefined ? {} : { cacheWritePerMTok: p.cache_write_per_mtok }),
    ...(p.reasoning_per_mtok === undefined ? {} : { reasoningPerMTok: p.reasoning_per_mtok }),
    ...(p.note === undefined ? {} : { note: p.note }),
  };
}

/** The judge as a candidate: a candidate id, a `provider:model` id, or a model of its own. */
function toJudge(
  raw: NonNullable<WorkloadFile['judge']>,
  candidates: WorkloadFile['candidates'],
  id = 'judge',
): Candidate {
  if (typeof raw === 'string') {
    const candidate = candidates.find((c) => c.id === raw);
    return toCandidate(candidate ?? { id, model: raw, temperature: 0 });
  }
  return toCandidate({ temperature: 0, ...raw, id: raw.id ?? id });
}

function toCaseSource(raw: WorkloadFile['cases'], limits: Partial<InputLimits> | undefined): CaseSource {
  if (Array.isArray(raw)) {
    return {
      kind: 'inline',
      cases: raw.map((entry, index) => ({
        id: entry.id === undefined ? String(index + 1) : String(entry.id),
        vars: Object.fromEntries(Object.entries(entry.vars).map(([key, value]) => [key, String(value)])),
        tags: entry.tags ?? [],
        source: `cases[${index}]`,
        ...(entry.graders === undefined ? {} : { graders: entry.graders }),
        ...(entry.expected === undefined ? {} : { expected: String(entry.expected) }),
        ...(entry.human === undefined
          ? {}
          : {
              human: {
                output: entry.human.output,
                pass: entry.human.label === true || entry.human.label === 'pass',
              },
            }),
      })),
    };
  }
  return {
    kind: 'file',
    path: raw.file,
    // Checked by the caller: a file of unknown extension without `format:` is refused there.
    format: raw.format ?? formatFromExtension(raw.file) ?? 'jsonl',
    ...(limits && Object.keys(limits).length > 0 ? { limits } : {}),
    ...(raw.vars ? { vars: raw.vars } : {}),
    ...(raw.expected ? { expected: raw.expected } : {}),
    ...(raw.id ? { id: raw.id } : {}),
    ...(raw.tags ? { tags: raw.tags } : {}),
    ...(raw.graders ? { graders: raw.graders } : {}),
    ...(raw.human ? { human: raw.human } : {}),
  } as CaseSource;
}

/** Parses and validates a workload YAML text; `file` names it in errors and anchors relative paths. */
export async function parseWorkload(
  text: string,
  file: string,
  options: LoadWorkloadOptions = {},
): Promise<Workload> {
  const shown = path.relative(process.cwd(), file) || file;
  const limits = resolveLimits(options.limits);
  const {
    document,
    lineCounter,
    data: input,
  } = parseYamlText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, shown, limits, invalid);
  const parsed = workloadFileSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw invalid(
      formatIssues(parsed.error, { file: shown, document, lineCounter, schema: workloadFileSchema, input }),
    );
  }
  const raw = parsed.data;
  const at = (fieldPath: PropertyKey[]) => {
    const { line, column } = positionOf(document, lineCounter, fieldPath);
    return `${shown}:${line}:${column} ${formatPath(fieldPath)}`;
  };
  const problems: string[] = [];

  const seen = new Set<string>();
  raw.candidates.forEach((candidate, index) => {
    if (seen.has(candidate.id))
      problems.push(`${at(['candidates', index, 'id'])}: duplicate candidate id "${candidate.id}"`);
    seen.add(candidate.id);
    const { provider } = splitModelId(candidate.model);
    if (!servingOf(provider)) {
      const suggestion = closestKey(provider, providerPrefixes());
      problems.push(
        `${at(['candidates', index, 'model'])}: unknown provider "${provider}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known: ${providerPrefixes().join(', ')}`,
      );
    }
    if (candidate.gpu && !findGpu(candidate.gpu.type)) {
      const ids = GPUS.map((gpu) => gpu.id);
      const suggestion = closestKey(candidate.gpu.type, ids);
      problems.push(
        `${at(['candidates', index, 'gpu', 'type'])}: unknown GPU "${candidate.gpu.type}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known: ${ids.join(', ')}`,
      );
    }
    if (candidate.open_model && !findOpenWeightModel(candidate.open_model)) {
      const ids = OPEN_WEIGHT_MODELS.map((model) => model.id);
      const suggestion = closestKey(candidate.open_model, ids);
      problems.push(
        `${at(['candidates', index, 'open_model'])}: no open-weight model "${candidate.open_model}" in verdict's catalogue${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      );
    }
    if (provider === 'openai-compatible' && !candidate.base_url) {
      problems.push(
        `${at(['candidates', index])}: an openai-compatible candidate needs base_url (e.g. http://127.0.0.1:8000/v1)`,
      );
    }
  });

  const prompt: PromptTemplate =
    typeof raw.prompt === 'string'
      ? { kind: 'text', template: raw.prompt }
      : { kind: 'chat', messages: raw.prompt };
  const templates =
    prompt.kind === 'text' ? [prompt.template] : prompt.messages.map((message) => message.content);
  const variables = [...new Set(templates.flatMap(templateVariables))];
  const cases = toCaseSource(raw.cases, options.limits);
  if (
    cases.kind === 'file' &&
    !Array.isArray(raw.cases) &&
    !raw.cases.format &&
    !formatFromExtension(cases.path)
  ) {
    problems.push(
      `${at(['cases', 'file'])}: cannot tell the format of "${cases.path}" from its extension; name it .jsonl, .ndjson, .csv, .yaml or .yml, or set cases.format: jsonl | csv | yaml`,
    );
  }
  if (cases.kind === 'file' && cases.vars) {
    for (const variable of variables) {
      if (!Object.hasOwn(cases.vars, variable)) {
        const suggestion = closestKey(variable, Object.keys(cases.vars));
        problems.push(
          `${at(['prompt'])}: unknown template variable {{${variable}}}${suggestion ? ` (did you mean {{${suggestion}}}?)` : ''}; cases.vars defines: ${Object.keys(cases.vars).join(', ')}`,
        );
      }
    }
  }
  if (problems.length > 0) throw invalid(problems);

  const workload: Workload = {
    version: 1,
    name: raw.name,
    file: path.resolve(file),
    prompt,
    cases,
    graders: raw.graders,
    candidates: raw.candidates.map(toCandidate),
    constraints: raw.constraints,
    ...(raw.description === undefined ? {} : { description: raw.description }),
    ...(raw.traffic === undefined ? {} : { traffic: raw.traffic }),
    ...(raw.operations === undefined ? {} : { operations: raw.operations }),
    ...(raw.decision === undefined ? {} : { decision: raw.decision }),
    ...(raw.gate === undefined ? {} : { gate: raw.gate }),
    ...(raw.quality === undefined ? {} : { quality: raw.quality }),
    ...(raw.pass_threshold === undefined ? {} : { passThreshold: raw.pass_threshold }),
    ...(raw.judge === undefined ? {} : { judge: toJudge(raw.judge, raw.candidates) }),
    ...(raw.judges === undefined
      ? {}
      : {
          judges: {
            repeat: raw.judges.repeat ?? 1,
            ...(raw.judges.second === undefined
              ? {}
              : { second: toJudge(raw.judges.second, raw.candidates, 'second-judge') }),
          },
        }),
  };
  const graderProblems = checkGraders(workload, [
    { specs: workload.graders, path: ['graders'] },
    ...(workload.cases.kind === 'inline'
      ? workload.cases.cases.map((testCase, index) => ({
          specs: testCase.graders ?? [],
          path: ['cases', index, 'graders'],
        }))
      : []),
  ]);
  if (graderProblems.length > 0)
    throw invalid(graderProblems.map((problem) => `${at(problem.path)}: ${problem.message}`));

  if (options.checkCases !== false) await checkCases(workload, variables, at);
  return workload;
}

/** Streams every case once: fields present, template variables defined, ids unique. */
async function checkCases(
  workload: Workload,
  variables: string[],
  at: (fieldPath: PropertyKey[]) => string,
): Promise<void> {
  const ids = new Set<string>();
  let count = 0;
  try {
    for await (const testCase of readCases(workload.cases, path.dirname(workload.file))) {
      count++;
      const missing = variables.filter((variable) => !Object.hasOwn(testCase.vars, variable));
      if (missing.length > 0) {
        throw new VerdictError(
          'CASES_INVALID',
          `${testCase.source} the prompt uses {{${missing[0]}}} but this case has no such variable; it has: ${Object.keys(testCase.vars).join(', ') || 'none'}`,
        );
      }
      if (ids.has(testCase.id))
        throw new VerdictError('CASES_INVALID', `${testCase.source} duplicate case id "${testCase.id}"`);
      ids.add(testCase.id);
      // A case file's own graders get the checks the workload's get: files exist, judges are allowed.
      if (workload.cases.kind === 'file' && testCase.graders) {
        const [problem] = checkGraders(workload, [{ specs: testCase.graders, path: [] }]);
        if (problem)
          throw new VerdictError('CASES_INVALID', `${testCase.source} graders: ${problem.message}`);
      }
    }
  } catch (error) {
    if (VerdictError.isInstance(error) && error.code === 'CASES_INVALID' && workload.cases.kind === 'file') {
      throw new VerdictError('CASES_INVALID', `${at(['cases', 'file'])}: ${error.message}`);
    }
    throw error;
  }
  if (count === 0) {
    const where = workload.cases.kind === 'file' ? ` in ${workload.cases.path}` : '';
    throw new VerdictError('CASES_INVALID', `${at(['cases'])}: no cases found${where}`);
  }
}

/** Reads and validates a workload file. */
export async function loadWorkload(file: string, options: LoadWorkloadOptions = {}): Promise<Workload> {
  const text = await readTextFile(
    { file, shown: path.relative(process.cwd(), file) || file, code: 'WORKLOAD_INVALID' },
    resolveLimits(options.limits),
  );
  return parseWorkload(text, file, options);
}
