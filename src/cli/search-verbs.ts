/** The search verb of `bun run tenant`: rebuilding one business's search documents. */
import { reindexBusiness, type ReindexProgress } from "../services/search/reindex.ts";
import { lockTenant } from "../services/lifecycle/tenant.ts";
import { tenantRefOf } from "./arguments.ts";
import type { Verb } from "./tenant-verbs.ts";

/** One line per page written (a thousand documents), so a large business shows it is moving. */
const progressPrinter = (say: (line: string) => void) => (p: ReindexProgress) => say(`  ${p.index}: ${p.done} indexed`);

export const SEARCH_VERBS: Record<string, Verb> = {
  reindex: {
    args: "<tenantKey|slug>",
    summary: "rebuild one business's search documents (products, services, its directory listing) from its rows; search keeps answering meanwhile",
    options: {},
    async run({ scopes, args, say }) {
      const tenant = await scopes.asSuperAdmin((s) => lockTenant(s, tenantRefOf(args)));
      say(`reindexing ${tenant.slug} (business ${tenant.id})`);
      const result = await reindexBusiness(scopes, tenant.id, progressPrinter(say));
      return { businessId: tenant.id, slug: tenant.slug, ...result };
    },
  },
};
