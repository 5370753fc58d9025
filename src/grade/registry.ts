import { closedQaGrader } from './closed-qa.ts';
import { containsGrader, icontainsGrader } from './contains.ts';
import { costGrader } from './cost.ts';
import { customGrader } from './custom.ts';
import { equalsGrader } from './equals.ts';
import { factualGrader } from './factual.ts';
import type { GraderFamily } from './family.ts';
import { isJsonGrader } from './is-json.ts';
import { jsonEqualsGrader } from './json-equals.ts';
import { jsonFieldGrader } from './json-field.ts';
import { jsonSchemaGrader } from './json-schema.ts';
import { latencyGrader } from './latency.ts';
import { lengthGrader } from './length.ts';
import { notGrader } from './not.ts';
import { numericGrader } from './numeric.ts';
import { pairwiseGrader } from './pairwise.ts';
import { regexGrader } from './regex.ts';
import { rubricGrader } from './rubric.ts';
import { similarityGrader } from './similarity.ts';
import { startsWithGrader } from './starts-with.ts';

/** Every grader family the workload may name, by name. */
export const graderFamilies: ReadonlyMap<string, GraderFamily> = new Map(
  [
    equalsGrader,
    containsGrader,
    icontainsGrader,
    startsWithGrader,
    regexGrader,
    isJsonGrader,
    jsonSchemaGrader,
    jsonEqualsGrader,
    jsonFieldGrader,
    numericGrader,
    similarityGrader,
    lengthGrader,
    notGrader,
    customGrader,
    latencyGrader,
    costGrader,
    rubricGrader,
    closedQaGrader,
    factualGrader,
    pairwiseGrader,
  ].map((family) => [family.name, family]),
);
