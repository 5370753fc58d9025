// Half of a race: loads its modules, says "ready", and on "go" (stdin) opens (creating) the store at
// LOCATION and records run RUN_ID. argv: LOCATION RUN_ID
import { once } from 'node:events';
import { openStore } from '../../src/store/open-store.ts';

const [location, runId] = process.argv.slice(2) as [string, string];
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const store = await openStore(location);
await store.createRun({
  id: runId,
  workloadName: 'race',
  workloadFile: '/race.yaml',
  workloadJson: '{}',
  status: 'completed',
  startedAt: new Date().toISOString(),
  finishedAt: null,
  plannedResults: 0,
});
await store.close();
process.stdin.destroy();
