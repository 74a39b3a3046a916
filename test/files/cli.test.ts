/**
 * `bun run tenant sweep-files` and `purge` as an operator runs them (a child
 * process on the storage the environment configures, like the harness app):
 * the sweep reconciles one business; purge prints its archiving progress and
 * leaves nothing of the business in storage.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { archiveProgressPrinter } from "../../src/cli/file-verbs.ts";
import { deleteAllTenantFiles } from "../../src/services/files/delete-all.ts";
import { reserveStorage } from "../../src/services/subscriptions/storage.ts";
import { tenantCli as cli } from "../setup/cli.ts";
import { app, deps, scopes } from "../setup/harness.ts";
import { shop } from "../setup/fixtures.ts";
import { png, storageCounter, upload } from "./support.ts";

setDefaultTimeout(90_000);
const touched = new Set<number>();
const archives: string[] = [];
afterAll(async () => {
  for (const id of touched) await scopes.asSuperAdmin((a) => deleteAllTenantFiles(a, id));
  for (const key of archives) await deps.files.removeArchive(key);
});


async function stocked(n: number) {
  const s = await shop();
  touched.add(s.tenant.businessId);
  for (let i = 0; i < n; i++) expect((await upload(app, { token: s.owner.token, tenant: s.tenant.tenantKey, category: "gallery", bytes: png() })).status).toBe(201);
  return s;
}

describe("operator commands for files", () => {
  test("sweep-files <slug> recounts a skewed counter and says what it did", async () => {
    const s = await stocked(2);
    await scopes.asTenant(s.tenant.businessId, (t) => reserveStorage(t, 5_000));
    const run = await cli("sweep-files", s.tenant.slug, "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ businesses: 1, blobsRemoved: 0, rowsRemoved: 0, countersFixed: 1, failed: [] });
    expect(run.stderr).toContain(`business ${s.tenant.businessId}:`);
    expect(await storageCounter(s.tenant.businessId)).toBe(2 * png().byteLength);
    expect((await cli("sweep-files", "a", "b")).code).toBe(2);
  });

  test("purge archives with progress lines, then leaves nothing of the business in storage", async () => {
    const s = await stocked(3);
    expect((await cli("delete", s.tenant.slug)).code).toBe(0);
    const run = await cli("purge", s.tenant.slug, "--force");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("archiving files: 1/3");
    expect(run.stdout).toContain("archiving files: 3/3");
    const archive = /files=\{"archive":"(archives\/tenant-\d+-[^"]+\.tar\.gz)","archived":3,/.exec(run.stdout);
    expect(archive).not.toBeNull();
    archives.push(archive![1]!);
    expect(await deps.files.forTenant(s.tenant.businessId).list()).toEqual([]);
  });

  test("progress is printed for the first and last file and at most every tenth in between (or every 2 s)", () => {
    const lines: string[] = [];
    let clock = 0;
    const print = archiveProgressPrinter((l) => lines.push(l), () => clock);
    for (let done = 1; done <= 1000; done++) print({ done, total: 1000, bytes: done * 1_048_576 });
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("archiving files: 1/1000 (1.0 MB)");
    expect(lines.at(-1)).toBe("archiving files: 1000/1000 (1000.0 MB)");
    clock = 10_000;
    print({ done: 1, total: 1000, bytes: 0 });
    expect(lines).toHaveLength(12);
  });
});
