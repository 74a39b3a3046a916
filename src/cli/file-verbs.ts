/**
 * The file-storage verbs of `bun run tenant`, and the progress lines purge prints
 * while it archives a business's files.
 */
import type { ArchiveProgress } from "../services/files/archive.ts";
import { sweepFiles } from "../services/files/sweep.ts";
import { lockTenant } from "../services/lifecycle/tenant.ts";
import { str } from "./arguments.ts";
import type { Verb } from "./tenant-verbs.ts";
import { UsageError } from "./usage-error.ts";

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * Archive progress for people: the first file, then about every 2 seconds or every
 * 10%, and the last one, so a large business shows it is moving without a line per file.
 */
export function archiveProgressPrinter(say: (line: string) => void, now = () => Date.now()): (p: ArchiveProgress) => void {
  let lastAt = 0;
  let lastTenth = -1;
  return (p) => {
    const tenth = p.total ? Math.floor((10 * p.done) / p.total) : 10;
    const due = p.done === 1 || p.done === p.total || tenth > lastTenth || now() - lastAt >= 2_000;
    if (!due) return;
    lastAt = now();
    lastTenth = tenth;
    say(`archiving files: ${p.done}/${p.total} (${mb(p.bytes)})`);
  };
}

export const FILE_VERBS: Record<string, Verb> = {
  "sweep-files": {
    args: "[tenantKey|slug]",
    summary: "reconcile file storage: remove orphan blobs and rows without blobs, recount storage used",
    options: { "grace-minutes": { type: "string", help: "leave blobs younger than this alone (default 60: uploads in flight)" } },
    async run({ scopes, args, values, say }) {
      const grace = Number(str(values, "grace-minutes") ?? 60);
      if (!Number.isFinite(grace) || grace < 0) throw new UsageError("--grace-minutes must be a number of minutes, 0 or more");
      if (args.length > 1) throw new UsageError(`expected at most one business, got ${args.length}`);
      const businessId = args[0] ? (await scopes.asSuperAdmin((s) => lockTenant(s, args[0]!))).id : undefined;
      const result = await sweepFiles(scopes, { businessId, graceMs: grace * 60_000, onProgress: say });
      if (result.failed.length) throw new Error(`sweep failed for ${result.failed.length} business(es): ${JSON.stringify(result.failed)}`);
      return result;
    },
  },
};
