/**
 * tenantRef (tenantKey or slug) → business id, remembered per process. The
 * mapping never changes while the business exists; after a purge the id names
 * nothing (a request then finds no business and calls `forget`, so a slug that
 * a new business later takes is looked up again). Unknown refs are not
 * remembered: a miss costs one indexed lookup on the platform role.
 */
export interface TenantResolver {
  resolve(ref: string): Promise<number | null>;
  forget(ref: string): void;
}

export function createTenantResolver(lookup: (ref: string) => Promise<number | null>, maxEntries = 100_000): TenantResolver {
  const known = new Map<string, number>();
  return {
    async resolve(ref) {
      const hit = known.get(ref);
      if (hit !== undefined) return hit;
      const id = await lookup(ref);
      if (id !== null) {
        if (known.size >= maxEntries) known.delete(known.keys().next().value!);
        known.set(ref, id);
      }
      return id;
    },
    forget: (ref) => void known.delete(ref),
  };
}
