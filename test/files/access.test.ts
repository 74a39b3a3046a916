/**
 * Who reaches which file, on both drivers: tenant A against tenant B (list,
 * download, delete; B's valid signature pasted on A's file and the reverse),
 * signed links (expired, altered, deleted file, suspended or closed business),
 * and who may upload (tokens, membership, roles, KYC for owners only, rate limit).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectCode } from "../setup/client.ts";
import { member, setTenantStatus, shop } from "../setup/fixtures.ts";
import { recordSecret } from "../setup/secrets.ts";
import { api, BACKENDS, download, fileRows, owner, pdf, png, storageCounter, tenantKeysOnDisk, tinyPlan, upload, useBackend, type Backend } from "./support.ts";

setDefaultTimeout(60_000);

type Shop = Awaited<ReturnType<typeof shop>>;

async function put(backend: Backend, s: Shop, category = "products", bytes = png()) {
  const res = await upload(backend.app, { token: s.owner.token, tenant: s.tenant.tenantKey, category, name: category === "kyc" ? "pan.pdf" : "p.png", bytes });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

/** The link's parts, with its signature recorded as a secret (the log scan proves it never reaches the log). */
function parts(url: string) {
  const u = new URL(url, "http://x");
  const sig = recordSecret(u.searchParams.get("sig")!);
  return { id: Number(u.pathname.split("/").pop()), t: u.searchParams.get("t")!, exp: u.searchParams.get("exp")!, sig };
}
const link = (p: { id: number | string; t: string; exp: string; sig: string }) => `/files/${p.id}?${new URLSearchParams({ t: p.t, exp: p.exp, sig: p.sig })}`;

for (const driver of BACKENDS) {
  describe(`file access (${driver})`, () => {
    const backend = useBackend(driver);
    const clientOf = (s: Shop) => api(backend().app, { token: s.owner.token, tenant: s.tenant.tenantKey });

    test("tenant A cannot list, link, download or delete B's files, while each sees its own", async () => {
      const [a, b] = [await shop(), await shop()];
      const [aFile, bFile] = [await put(backend(), a), await put(backend(), b)];
      const [aApi, bApi] = [clientOf(a), clientOf(b)];

      expect((await aApi.files.list.query({})).items.map((f) => f.id)).toEqual([aFile]);
      expect((await bApi.files.list.query({})).items.map((f) => f.id)).toEqual([bFile]);
      await expectCode(aApi.files.getDownloadUrl.query({ id: bFile }), "NOT_FOUND");
      await expectCode(aApi.files.delete.mutate({ id: bFile }), "NOT_FOUND");

      const aLink = parts((await aApi.files.getDownloadUrl.query({ id: aFile })).url);
      const bLink = parts((await bApi.files.getDownloadUrl.query({ id: bFile })).url);
      expect((await download(backend().app, link(aLink))).status).toBe(200);
      expect((await download(backend().app, link(bLink))).status).toBe(200);
      // B's valid signature pasted onto A's file (in A's business, or naming B's) and the reverse: refused.
      for (const forged of [
        { ...aLink, sig: bLink.sig },
        { ...bLink, sig: aLink.sig },
        { ...aLink, t: bLink.t },
        { ...bLink, t: aLink.t },
        { ...aLink, id: bLink.id },
        { ...bLink, id: aLink.id, t: aLink.t },
      ]) {
        expect((await download(backend().app, link(forged))).status).toBe(403);
      }
      // B's file is still there, untouched, and B can still delete it.
      expect(await fileRows(b.tenant.businessId)).toHaveLength(1);
      expect(tenantKeysOnDisk(backend(), b.tenant.businessId)).toHaveLength(1);
      expect(await bApi.files.delete.mutate({ id: bFile })).toEqual({ id: bFile, deleted: true });
      expect((await aApi.files.list.query({})).items.map((f) => f.id)).toEqual([aFile]);
    });

    test("expired, altered or malformed links are refused with 403; a deleted file's link is dead (404)", async () => {
      const s = await shop();
      const id = await put(backend(), s);
      const sApi = clientOf(s);
      const good = parts((await sApi.files.getDownloadUrl.query({ id, expiresInSeconds: 60 })).url);
      expect((await download(backend().app, link(good))).status).toBe(200);

      const flip = (sig: string) => (sig[0] === "A" ? "B" : "A") + sig.slice(1);
      const refused = [
        { ...good, exp: String(Number(good.exp) + 3600) }, // expiry pushed out: the signature no longer matches
        { ...good, exp: String(Math.floor(Date.now() / 1000) - 1) }, // in the past
        { ...good, sig: flip(good.sig) },
        { ...good, sig: good.sig.slice(0, -2) },
        { ...good, sig: "" },
        { ...good, t: crypto.randomUUID() },
        { ...good, t: s.tenant.slug },
        { ...good, exp: "soon" },
      ];
      for (const bad of refused) expect([bad, (await download(backend().app, link(bad))).status]).toEqual([bad, 403]);
      expect((await download(backend().app, `/files/${id}`)).status).toBe(403);
      expect((await download(backend().app, `/files/not-a-number?t=${good.t}&exp=${good.exp}&sig=${good.sig}`)).status).toBe(404);

      // A link that has really expired: signed for 60 s, checked as if 61 s later.
      const handle = backend().files.forTenant(s.tenant.businessId);
      const exp = Number(good.exp);
      expect(handle.verifyDownload(id, exp, good.sig, new Date((exp - 30) * 1000))).toBe(true);
      expect(handle.verifyDownload(id, exp, good.sig, new Date((exp + 1) * 1000))).toBe(false);

      const before = await storageCounter(s.tenant.businessId);
      await sApi.files.delete.mutate({ id });
      expect((await download(backend().app, link(good))).status).toBe(404);
      expect(tenantKeysOnDisk(backend(), s.tenant.businessId)).toEqual([]);
      expect(await storageCounter(s.tenant.businessId)).toBe(before - png().byteLength);
      await expectCode(sApi.files.getDownloadUrl.query({ id }), "NOT_FOUND");
    });

    test("a suspended business's links are refused (403), a closed one's are gone (404)", async () => {
      const s = await shop();
      const url = (await clientOf(s).files.getDownloadUrl.query({ id: await put(backend(), s) })).url;
      recordSecret(parts(url).sig);
      await setTenantStatus(s.tenant.businessId, "suspended");
      expect((await download(backend().app, url)).status).toBe(403);
      await setTenantStatus(s.tenant.businessId, "closed");
      expect((await download(backend().app, url)).status).toBe(404);
      await setTenantStatus(s.tenant.businessId, "active");
      expect((await download(backend().app, url)).status).toBe(200);
    });

    test("uploads: no or bad token 401, non-member 403, suspended 403, no tenant 400; staff cannot upload, managers can", async () => {
      const s = await shop();
      const other = await shop();
      const send = (token: string | undefined, tenant: string | null = s.tenant.tenantKey, category = "products") =>
        upload(backend().app, { token, tenant: tenant ?? undefined, category, bytes: png() });
      expect((await send(undefined)).status).toBe(401);
      expect((await send("not-a-token")).status).toBe(401);
      expect((await send(other.owner.token)).status).toBe(403);
      expect((await send(s.owner.token, null)).status).toBe(400);
      expect((await send(s.owner.token, crypto.randomUUID())).status).toBe(404);

      const staff = await member(s.tenant, "staff");
      const manager = await member(s.tenant, "manager");
      const refused = await send(staff.token);
      expect([refused.status, refused.body.error?.code]).toEqual([403, "FORBIDDEN"]);
      expect((await send(manager.token)).status).toBe(201);

      await setTenantStatus(s.tenant.businessId, "suspended");
      expect((await send(s.owner.token)).status).toBe(403);
      await setTenantStatus(s.tenant.businessId, "active");
      expect(await fileRows(s.tenant.businessId)).toHaveLength(1); // the manager's, nothing else
    });

    test("KYC documents: only the owner uploads, lists, links or deletes them", async () => {
      const s = await shop();
      const manager = await member(s.tenant, "manager");
      const asManager = api(backend().app, { token: manager.token, tenant: s.tenant.tenantKey });
      const refused = await upload(backend().app, { token: manager.token, tenant: s.tenant.tenantKey, category: "kyc", name: "pan.pdf", bytes: pdf() });
      expect(refused.status).toBe(403);
      const kyc = await put(backend(), s, "kyc", pdf());
      const photo = await put(backend(), s);

      expect((await asManager.files.list.query({})).items.map((f) => f.id)).toEqual([photo]);
      await expectCode(asManager.files.list.query({ category: "kyc" }), "FORBIDDEN");
      await expectCode(asManager.files.getDownloadUrl.query({ id: kyc }), "FORBIDDEN");
      await expectCode(asManager.files.delete.mutate({ id: kyc }), "FORBIDDEN");
      expect((await clientOf(s).files.list.query({ category: "kyc" })).items.map((f) => f.id)).toEqual([kyc]);
      expect((await clientOf(s).files.list.query({})).items.map((f) => f.id)).toEqual([photo, kyc]);
    });

    test("uploads count against the plan's request rate: past it, 429 with Retry-After, and nothing stored", async () => {
      const s = await shop();
      // 10 a minute for the business, a fifth of it (2) for each member: the third upload is one too many.
      const plan = await tinyPlan(s.tenant.businessId, 10_000_000, 10);
      try {
        const results = [];
        for (let i = 0; i < 3; i++) results.push(await upload(backend().app, { token: s.owner.token, tenant: s.tenant.tenantKey, category: "products", bytes: png() }));
        expect(results.map((r) => r.status)).toEqual([201, 201, 429]);
        expect(Number(results[2]!.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await fileRows(s.tenant.businessId)).toHaveLength(2);
        expect(tenantKeysOnDisk(backend(), s.tenant.businessId)).toHaveLength(2);
      } finally {
        await plan.remove();
      }
    });

    test("list pages newest first with a cursor", async () => {
      const s = await shop();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await put(backend(), s, i % 2 ? "gallery" : "products"));
      const sApi = clientOf(s);
      const first = await sApi.files.list.query({ limit: 2 });
      const second = await sApi.files.list.query({ limit: 2, cursor: first.nextCursor! });
      const third = await sApi.files.list.query({ limit: 2, cursor: second.nextCursor! });
      expect([...first.items, ...second.items, ...third.items].map((f) => f.id)).toEqual([...ids].reverse());
      expect(third.nextCursor).toBeNull();
      expect((await sApi.files.list.query({ category: "gallery" })).items.map((f) => f.id)).toEqual([ids[3]!, ids[1]!]);
    });
  });
}
