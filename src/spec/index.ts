export * from './decision.ts';
export * from './errors.ts';
export * from './grade.ts';
export * from './load-test-record.ts';
export * from './provider.ts';
export * from './quality.ts';
export * from './result.ts';
export * from './workload.ts';
