import type { CaseRow, Store } from '../store/store.ts';

/** Every case of a run with its results, in order, fetched a page at a time (memory stays flat). */
export async function* allCaseRows(store: Store, runId: string, pageSize = 500): AsyncGenerator<CaseRow> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await store.queryCases(runId, { offset, limit: pageSize });
    yield* page.rows;
    if (page.rows.length < pageSize) return;
  }
}
