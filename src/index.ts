// verdict as a library: the same functions the CLI calls.

export { main } from './cli/main.ts';
export { candidateOptions } from './decide/candidate-options.ts';
export { catalogueSources } from './decide/catalogue-sources.ts';
export { type DecisionCostInput, decide, decideFully, type FullDecision } from './decide/decide.ts';
export { type QualityGate, type QualityVerdict, qualityGate } from './decide/quality-gate.ts';
export { gradeCase, gradeOutput } from './grade/grade-output.ts';
export { graderFamilies } from './grade/registry.ts';
export * from './load/index.ts';
export { createOpenAICompatibleProvider } from './providers/openai-compatible.ts';
export { createProvider } from './providers/registry.ts';
export { buildReport } from './report/build-report.ts';
export { declaredCostInputs, measuredCostInputs } from './report/cost-inputs.ts';
export { buildQualityReport } from './report/quality.ts';
export { renderTerminal } from './report/render-terminal.ts';
export { latestLoadTests, storedLoadTestInputs } from './report/stored-load-tests.ts';
export { type JudgePassOptions, type JudgePassSummary, judgeRun } from './run/judge-pass.ts';
export { type CandidatePlan, planRun, type RunPlan } from './run/plan-run.ts';
export type { RunProgress, RunSummary, RunWorkloadOptions } from './run/run-workload.ts';
export { runWorkload } from './run/run-workload.ts';
export * from './spec/index.ts';
export * from './stats/index.ts';
export { defaultStorePath } from './store/default-location.ts';
export { openSqliteStore } from './store/sqlite/sqlite-store.ts';
export type { Store } from './store/store.ts';
export { workloadJsonSchema } from './workload/json-schema.ts';
export { loadWorkload, parseWorkload } from './workload/load-workload.ts';
export { readCases } from './workload/read-cases.ts';
