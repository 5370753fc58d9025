// The workload many runner tests share: case i asks "case i" and expects "ok case i", which is what
// the wire server answers with `answer: (request) => \`ok ${request.prompt}\``; the tests give the
// candidates (and so the server, models and limits) as YAML lines.
import { writeFileSync } from 'node:fs';

export interface EchoWorkload {
  name: string;
  cases: number;
  /** The `candidates:` list, one YAML line per candidate (indented by two spaces). */
  candidates: string;
  /** The question of case i (default `case ${i}`); the expected answer is `ok ` and the question. */
  question?: (index: number) => string;
}

/** Writes the workload to `file` and returns `file`. */
export function writeEchoWorkload(file: string, workload: EchoWorkload): string {
  const question = workload.question ?? ((index: number) => `case ${index}`);
  const cases = Array.from(
    { length: workload.cases },
    (_, i) => `  - { id: k${i}, vars: { q: "${question(i)}" }, expected: "ok ${question(i)}" }`,
  );
  writeFileSync(
    file,
    `version: 1
name: ${workload.name}
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
${workload.candidates}
`,
  );
  return file;
}
