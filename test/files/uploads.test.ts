/**
 * Uploads, on both drivers (fs and an S3-compatible server): what is stored and
 * where, what is refused (names, types, sizes, broken bodies, quota), and that a
 * refused or failed upload leaves no blob, no row and no bytes counted, even when
 * 20 uploads race for the last of the allowance.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { STORED_NAME } from "../../src/tenancy/file-names.ts";
import { FILE_CATEGORIES } from "../../src/tenancy/files.ts";
import { shop } from "../setup/fixtures.ts";
import { api, BACKENDS, download, elf, exe, fileRows, keysOnDisk, owner, pdf, png, rawUpload, storageCounter, tenantKeysOnDisk, tinyPlan, upload, useBackend } from "./support.ts";

setDefaultTimeout(60_000);

const KEY = new RegExp(`^tenants/(\\d+)/(${FILE_CATEGORIES.join("|")})/([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})-(.+)$`);

/** Nothing of `businessId` in storage, in the files table or in its counter. */
async function expectNothingStored(backend: ReturnType<ReturnType<typeof useBackend>>, businessId: number) {
  expect(tenantKeysOnDisk(backend, businessId)).toEqual([]);
  expect(await fileRows(businessId)).toEqual([]);
  expect(await storageCounter(businessId)).toBe(0);
}

for (const driver of BACKENDS) {
  describe(`uploads (${driver})`, () => {
    const backend = useBackend(driver);

    test("an upload is stored under tenants/{id}/{category}/, listed, and downloaded byte for byte", async () => {
      const { owner: who, tenant } = await shop();
      const bytes = png(5_000);
      const res = await upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "products", name: "Kesar Kulfi.png", bytes });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number), name: "Kesar Kulfi.png", category: "products", size: bytes.byteLength, contentType: "image/png" } as never);

      const keys = tenantKeysOnDisk(backend(), tenant.businessId);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(KEY);
      expect(keys[0]!.endsWith("-Kesar-Kulfi.png")).toBe(true);

      const client = api(backend().app, { token: who.token, tenant: tenant.tenantKey });
      const listed = await client.files.list.query({});
      expect(listed.items.map((f) => [f.id, f.name, f.size])).toEqual([[res.body.id as number, "Kesar Kulfi.png", bytes.byteLength]]);
      expect(await client.files.usage.query()).toEqual({ usedBytes: bytes.byteLength, limitBytes: 104_857_600 });

      const { url } = await client.files.getDownloadUrl.query({ id: res.body.id as number });
      const got = await download(backend().app, url);
      expect(got.status).toBe(200);
      expect(Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(got.headers.get("content-type")).toBe("image/png");
      expect(got.headers.get("content-disposition")).toBe(`inline; filename="Kesar Kulfi.png"; filename*=UTF-8''Kesar%20Kulfi.png`);
      expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    });

    test("hostile names are refused or sanitised, and every key on disk stays under its business's prefix", async () => {
      const { owner: who, tenant } = await shop();
      // Written by hand (rawUpload) so the name arrives exactly as given; FormData would re-type the part from the name.
      const send = (name: string) => rawUpload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "gallery", name, bytes: png() });
      const sanitised: [string, string][] = [
        ["../../../etc/passwd", "passwd"],
        ["%2e%2e%2f%2e%2e%2fetc%2fshadow.png", "%2e%2e%2f%2e%2e%2fetc%2fshadow.png"],
        ["/leading/slash.png", "slash.png"],
        ["..\\..\\windows\\logo.png", "logo.png"],
        ["..", "file"],
        ["holiday\u202Egnp.png", "holidaygnp.png"], // a right-to-left override would make it read "holidaypng.png"
        ["\u200Finvoice\u200E.png", "invoice.png"],
        ["résumé 文件 🧾.png", "résumé 文件 🧾.png"],
        ["tenants:2:products:x.png", "tenants:2:products:x.png"], // unstorage reads ":" as "/": never a separator here
      ];
      for (const [name, shown] of sanitised) {
        const res = await send(name);
        expect([name, res.status, res.body.name]).toEqual([name, 201, shown]);
      }
      // The classic disguise: "\u202Egnp.exe" reads "exe.png"; its name still claims an executable, which the PNG bytes contradict.
      expect((await send("\u202Egnp.exe")).status).toBe(415);
      // 10,000 characters: refused, however they are sent.
      for (const via of [send, (name: string) => upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "gallery", name, bytes: png() })]) {
        const res = await via(`${"x".repeat(9_996)}.png`);
        expect([res.status, res.body.error?.code]).toEqual([400, "BAD_REQUEST"]);
      }
      // NUL and other control characters, raw in the multipart header or through FormData: whatever the
      // multipart parser makes of them (Bun cuts a name at NUL) is refused, or arrives clean.
      const viaFormData = (name: string) => upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "gallery", name, bytes: png() });
      const hostile: [string, typeof send][] = [
        ["nul\u0000.png", send],
        ["nul\u0000.png", viaFormData],
        ["bell\u0007.png", viaFormData],
        ["tab\there.png", send],
        ["\ud800.png", send],
      ];
      for (const [name, via] of hostile) {
        const res = await via(name);
        if (res.status === 201) {
          const shown = res.body.name as string;
          expect(/[\u0000-\u001f\u007f-\u009f]/.test(shown) || shown.length > 255).toBe(false);
          sanitised.push([name, shown]);
        } else expect([name.slice(0, 20), res.status]).toEqual([name.slice(0, 20), 400]);
      }

      const rows = await fileRows(tenant.businessId);
      expect(rows).toHaveLength(sanitised.length);
      // Walk the disk: every object of every business is a well-formed key under its own business's prefix.
      const keys = keysOnDisk(backend()).filter((k) => !k.startsWith("archives/"));
      for (const key of keys) {
        const m = KEY.exec(key);
        expect(m && STORED_NAME.test(m[4]!) ? key : `bad key: ${key}`).toBe(key);
      }
      const mine = keys.filter((k) => k.startsWith(`tenants/${tenant.businessId}/`));
      expect(mine.sort()).toEqual(rows.map((r) => `tenants/${tenant.businessId}/${r.category}/${r.object_id}-${r.stored_name}`).sort());
    });

    test("an executable named and typed as a PNG is refused with 415 and leaves nothing", async () => {
      const { owner: who, tenant } = await shop();
      for (const bytes of [elf(), exe()]) {
        const res = await rawUpload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "products", name: "photo.png", type: "image/png", bytes });
        expect(res.status).toBe(415);
        expect(res.body.error?.code).toBe("UNSUPPORTED_MEDIA_TYPE");
        expect(res.body.error?.message).toContain("must be image/jpeg, image/png");
      }
      // A real PNG whose name claims a JPEG, and a PDF where only images go, are refused too.
      const declared = await rawUpload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "products", name: "photo.jpg", bytes: png() });
      expect(declared.status).toBe(415);
      const wrongCategory = await upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "products", name: "x.pdf", type: "application/pdf", bytes: pdf() });
      expect(wrongCategory.status).toBe(415);
      await expectNothingStored(backend(), tenant.businessId);
      // The same PDF is a document.
      const ok = await upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "documents", name: "x.pdf", type: "application/pdf", bytes: pdf() });
      expect([ok.status, ok.body.contentType]).toEqual([201, "application/pdf"]);
    });

    test("sizes: over the category limit 413, empty 400; unknown category, no file field, not multipart, cut-off body 400; nothing stored", async () => {
      const { owner: who, tenant } = await shop();
      const auth = { authorization: `Bearer ${who.token}`, "x-tenant-id": tenant.tenantKey };
      const big = await upload(backend().app, { ...{ token: who.token, tenant: tenant.tenantKey }, category: "logos", bytes: png(2 * 1_048_576 + 10) });
      expect([big.status, big.body.error?.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
      const empty = await upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "logos", bytes: new Uint8Array() });
      expect(empty.status).toBe(400);
      const unknown = await upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "secrets", bytes: png() });
      expect(unknown.status).toBe(400);

      const post = (body: ConstructorParameters<typeof Request>[1] extends infer I ? (I extends { body?: infer B } ? B : never) : never, headers: Record<string, string>, extra: RequestInit = {}) =>
        backend().app.fetch(new Request("http://api.desibazaar.test/files/products", { method: "POST", body, headers: { ...auth, ...headers }, ...extra }));
      const noField = new FormData();
      noField.append("other", "x");
      expect((await post(noField, {})).status).toBe(400);
      expect((await post(png(), { "content-type": "image/png" })).status).toBe(400);
      const head = `--B\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
      expect((await post(`${head}${"x".repeat(100)}`, { "content-type": "multipart/form-data; boundary=B" })).status).toBe(400);
      // A client that goes away mid-upload: the body stream errors.
      const aborted = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(head));
          controller.enqueue(png(1_000));
          controller.error(new Error("client went away"));
        },
      });
      const res = await post(aborted, { "content-type": "multipart/form-data; boundary=B" }, { duplex: "half" } as RequestInit);
      expect(res.status).toBe(400);
      await expectNothingStored(backend(), tenant.businessId);
    });

    test("a storage failure is a generic 500 that leaves no row and counts nothing", async () => {
      const { owner: who, tenant } = await shop();
      const res = await upload(backend().brokenApp(), { token: who.token, tenant: tenant.tenantKey, category: "products", bytes: png() });
      expect(res.status).toBe(500);
      expect(res.body.error?.message).toMatch(/^Something went wrong on our side \(request id /);
      await expectNothingStored(backend(), tenant.businessId);
    });

    test("over the plan's storage: 413 naming the limit, and no blob, no row, nothing counted", async () => {
      const { owner: who, tenant } = await shop();
      const plan = await tinyPlan(tenant.businessId, 10_000);
      try {
        const res = await upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "products", bytes: png(12_000) });
        expect([res.status, res.body.error?.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
        expect(res.body.error?.message).toContain("Storage limit reached");
        await expectNothingStored(backend(), tenant.businessId);
      } finally {
        await plan.remove();
      }
    });

    test("20 concurrent uploads that together exceed the allowance: usage never exceeds it; rows, blobs and counter agree", async () => {
      const { owner: who, tenant } = await shop();
      const allowance = 1_000_000;
      const size = 150_000; // 6 fit (900,000), the 7th would not
      const plan = await tinyPlan(tenant.businessId, allowance);
      try {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            upload(backend().app, { token: who.token, tenant: tenant.tenantKey, category: "gallery", name: `race-${i}.png`, bytes: png(size) }),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses.filter((s) => s === 201)).toHaveLength(Math.floor(allowance / size));
        expect(statuses.filter((s) => s !== 201).every((s) => s === 413)).toBe(true);

        const rows = await fileRows(tenant.businessId);
        const counted = await storageCounter(tenant.businessId);
        expect(counted).toBeLessThanOrEqual(allowance);
        expect(counted).toBe(rows.reduce((sum, r) => sum + Number(r.size_bytes), 0));
        expect(tenantKeysOnDisk(backend(), tenant.businessId).sort()).toEqual(
          rows.map((r) => `tenants/${tenant.businessId}/${r.category}/${r.object_id}-${r.stored_name}`).sort(),
        );
        expect(rows.map((r) => r.id).sort()).toEqual(results.filter((r) => r.status === 201).map((r) => r.body.id as number).sort());
      } finally {
        await plan.remove();
      }
    });
  });
}
