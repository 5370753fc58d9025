// verdict as a library: the same functions the CLI calls.
export { buildReport } from './report/build-report.ts';
export { renderTerminal } from './report/render-terminal.ts';
export { decide } from './decide/decide.ts';
export { gradeOutput } from './grade/grade-output.ts';
export { graderFamilies } from './grade/registry.ts';
export { createProvider } from './providers/registry.ts';
export { createOpenAICompatibleProvider } from './providers/openai-compatible.ts';
export { runWorkload } from './run/run-workload.ts';
export type { RunProgress, RunSummary, RunWorkloadOptions } from './run/run-workload.ts';
export * from './spec/index.ts';
export * from './stats/index.ts';
export { defaultStorePath } from './store/default-location.ts';
export { openSqliteStore } from './store/sqlite/sqlite-store.ts';
export type { Store } from './store/store.ts';
export { workloadJsonSchema } from './workload/json-schema.ts';
export { loadWorkload, parseWorkload } from './workload/load-workload.ts';
export { readCases } from './workload/read-cases.ts';
export { main } from './cli/main.ts';
