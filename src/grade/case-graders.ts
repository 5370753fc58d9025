// A case's own graders read from a field of a case file (`cases: { file, graders: checks }`): a list
// in JSONL and YAML, a JSON string in CSV. Parsed by the same entry schema as the workload's graders.
import path from 'node:path';
import { z } from 'zod';
import type { GraderSpec } from '../spec/workload.ts';
import { graderEntrySchema } from './grader-entry.ts';

const caseGraders = z.array(graderEntrySchema);

/** The graders in one record's field, or a message saying what is wrong with them. */
export function caseGradersOf(value: unknown): GraderSpec[] | string {
  if (value === undefined || value === null || value === '') return [];
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return 'is not a JSON list of graders';
    }
  }
  const parsed = caseGraders.safeParse(list);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path
    .map((step) => (typeof step === 'number' ? `[${step}]` : `.${String(step)}`))
    .join('');
  return `${where ? `${where.replace(/^\./, '')}: ` : ''}${issue.message}`;
}

/** Custom grader files named in a case file resolve against the workload's directory, as in the workload. */
export function resolveGraderFiles(specs: GraderSpec[], baseDir: string): GraderSpec[] {
  return specs.map((spec) => {
    if (spec.type === 'custom') {
      return {
        ...spec,
        options: { ...spec.options, file: path.resolve(baseDir, String(spec.options.file)) },
      };
    }
    if (spec.type === 'not') {
      const [inner] = resolveGraderFiles([spec.options.inner as GraderSpec], baseDir);
      return { ...spec, options: { ...spec.options, inner } };
    }
    return spec;
  });
}
