// Kept apart from the Postgres store so that deciding which store a location names does not load pg.

/** Whether a store location names a Postgres database. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}
