// Whether a stored load test ran on the hardware a candidate would run on: a capacity measured on
// this machine's CPU, or on other GPUs, is not the capacity of the candidate's replica.

import { findGpu } from '../cost/index.ts';
import type { LoadHardware } from '../load/load-hardware.ts';
import type { Candidate } from '../spec/workload.ts';

const gpuName = (id: string) => findGpu(id)?.name ?? id;

/** Null when the test may stand for the candidate's replica; else the sentence saying why not. */
export function hardwareMismatch(
  testId: string,
  hardware: LoadHardware | undefined,
  candidate: Candidate,
): string | null {
  const wanted = candidate.deployment?.gpu;
  if (!wanted || !hardware) return null;
  const replica = `${wanted.count ?? 1} × ${gpuName(wanted.type)}`;
  if (hardware.device === 'cpu') {
    const cpu = hardware.cpu ? `${hardware.cpu.model}, ${hardware.cpu.cores} cores` : 'no GPU';
    return `load test ${testId} ran the model on a CPU (${cpu}), not on ${replica}: its rate is not this replica's capacity`;
  }
  if (hardware.gpu?.source === 'flag') {
    const sameType = hardware.gpu.model.toLowerCase() === wanted.type.toLowerCase();
    const sameCount = wanted.count === undefined || hardware.gpu.count === wanted.count;
    if (!sameType || !sameCount)
      return `load test ${testId} ran on ${hardware.gpu.count} × ${gpuName(hardware.gpu.model)}, not on ${replica}: its rate is not this replica's capacity`;
    return null;
  }
  if (hardware.endpoint === 'in-process')
    return `load test ${testId} ran the embedded runtime on this machine's ${hardware.gpu?.model ?? 'hardware'}, whose model was not given (--gpu), not on ${replica}`;
  return null;
}

/** A note for a test used without its GPUs recorded: the endpoint stands for the candidate's replica. */
export function hardwareUnrecorded(testId: string, hardware: LoadHardware | undefined): string | null {
  if (hardware?.gpu) return null;
  if (hardware?.device === 'cpu') return null;
  return `load test ${testId} did not record its GPUs (verdict load --gpu TYPE[:COUNT]); it is taken to have run on the candidate's endpoint as deployed`;
}
