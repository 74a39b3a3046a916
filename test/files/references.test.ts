/**
 * Products and the business point at files: only at a file of the same business
 * and of a fitting category; deleting the file clears the reference. Also the
 * pure pieces behind every key and header: name cleaning, stored names, the key
 * builder's refusals, Content-Disposition, and S3 settings in the environment.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { parseEnv } from "../../src/env.ts";
import { deleteAllTenantFiles } from "../../src/services/files/delete-all.ts";
import { cleanDisplayName, contentDisposition, STORED_NAME, storedNameFor } from "../../src/tenancy/file-names.ts";
import { parseStorageKey, storageKey } from "../../src/tenancy/files.ts";
import { client, expectCode } from "../setup/client.ts";
import { app, scopes } from "../setup/harness.ts";
import { shop } from "../setup/fixtures.ts";
import { recordSecret } from "../setup/secrets.ts";
import { pdf, png, upload } from "./support.ts";

setDefaultTimeout(30_000);
const touched = new Set<number>();
afterAll(async () => {
  for (const id of touched) await scopes.asSuperAdmin((s) => deleteAllTenantFiles(s, id));
});

async function withFile(category: string, bytes = png()) {
  const s = await shop();
  touched.add(s.tenant.businessId);
  const res = await upload(app, { token: s.owner.token, tenant: s.tenant.tenantKey, category, name: category === "documents" ? "a.pdf" : "a.png", bytes });
  expect(res.status).toBe(201);
  return { ...s, fileId: res.body.id as number };
}

describe("product images and the business logo", () => {
  test("a product takes an image file of its own business; another business's file is NOT_FOUND, a document BAD_REQUEST", async () => {
    const a = await withFile("products");
    const b = await withFile("gallery");
    const doc = await upload(app, { token: a.owner.token, tenant: a.tenant.tenantKey, category: "documents", name: "a.pdf", bytes: pdf() });
    const product = await a.api.products.create.mutate({ name: "Kulfi", priceCents: 100, imageFileId: a.fileId });
    expect(product.imageFileId).toBe(a.fileId);
    await expectCode(a.api.products.create.mutate({ name: "Stolen", priceCents: 100, imageFileId: b.fileId }), "NOT_FOUND");
    await expectCode(a.api.products.update.mutate({ id: product.id, imageFileId: b.fileId }), "NOT_FOUND");
    await expectCode(a.api.products.update.mutate({ id: product.id, imageFileId: doc.body.id as number }), "BAD_REQUEST");
    expect((await a.api.products.update.mutate({ id: product.id, imageFileId: null })).imageFileId).toBeNull();

    // Deleting the file clears the product's image instead of failing or leaving a dangling id.
    await a.api.products.update.mutate({ id: product.id, imageFileId: a.fileId });
    await a.api.files.delete.mutate({ id: a.fileId });
    expect((await a.api.products.get.query({ id: product.id })).imageFileId).toBeNull();
  });

  test("the logo is a logos file of this business, shown by tenants.current and cleared when the file goes", async () => {
    const a = await withFile("logos");
    const b = await withFile("logos");
    const photo = await upload(app, { token: a.owner.token, tenant: a.tenant.tenantKey, category: "products", bytes: png() });
    expect((await a.api.tenants.current.query()).logoFileId).toBeNull();
    await expectCode(a.api.tenants.setLogo.mutate({ fileId: b.fileId }), "NOT_FOUND");
    await expectCode(a.api.tenants.setLogo.mutate({ fileId: photo.body.id as number }), "BAD_REQUEST");
    await a.api.tenants.setLogo.mutate({ fileId: a.fileId });
    expect((await a.api.tenants.current.query()).logoFileId).toBe(a.fileId);
    expect((await client({ token: b.owner.token, tenant: b.tenant.tenantKey }).tenants.current.query()).logoFileId).toBeNull();
    await a.api.files.delete.mutate({ id: a.fileId });
    expect((await a.api.tenants.current.query()).logoFileId).toBeNull();
  });
});

describe("names, keys and headers", () => {
  test("display names keep the last path segment, lose invisible characters, refuse control characters and length", () => {
    expect(cleanDisplayName("../../etc/passwd")).toBe("passwd");
    expect(cleanDisplayName("C:\\Users\\x\\photo.png")).toBe("photo.png");
    expect(cleanDisplayName("a\u202Egnp.exe")).toBe("agnp.exe");
    expect(cleanDisplayName("..")).toBe("file");
    expect(cleanDisplayName("e\u0301.png")).toBe("é.png"); // NFC
    for (const bad of ["a\u0000b", "a\nb", "x".repeat(256), "\udc00"]) expect(() => cleanDisplayName(bad)).toThrow();
  });

  test("stored names are ASCII, carry the sniffed extension, and always match the key pattern", () => {
    expect(storedNameFor("Résumé 文件 (final).PDF", "pdf")).toBe("Resume-final.pdf");
    expect(storedNameFor("文件.png", "png")).toBe("file.png");
    expect(storedNameFor("%2e%2e%2f", "png")).toBe("2e-2e-2f.png");
    expect(storedNameFor("photo.png", "exe")).toBe("photo.exe");
    for (const name of ["../..", "....", "a:b", "a/b", "\u0000", "x".repeat(500), "-", "..png"]) expect(storedNameFor(name, "png")).toMatch(STORED_NAME);
  });

  test("the key builder refuses anything off-pattern and parses only its own keys", () => {
    const ref = { category: "products" as const, objectId: Bun.randomUUIDv7(), storedName: "a.png" };
    expect(storageKey(7, ref)).toBe(`tenants/7/products/${ref.objectId}-a.png`);
    expect(parseStorageKey(7, storageKey(7, ref))).toEqual(ref);
    expect(parseStorageKey(8, storageKey(7, ref))).toBeNull();
    for (const bad of [{ ...ref, storedName: "../a.png" }, { ...ref, storedName: "a/b.png" }, { ...ref, objectId: crypto.randomUUID() }, { ...ref, category: "secrets" }]) {
      expect(() => storageKey(7, bad as typeof ref)).toThrow();
    }
    expect(() => storageKey(0, ref)).toThrow();
  });

  test("Content-Disposition carries any name safely: an ASCII fallback and the exact name percent-encoded", () => {
    expect(contentDisposition('a"b;c\\d.png', "attachment")).toBe(`attachment; filename="a_b_c_d.png"; filename*=UTF-8''a%22b%3Bc%5Cd.png`);
    expect(contentDisposition("文件 (1).pdf", "inline")).toBe(`inline; filename="__ (1).pdf"; filename*=UTF-8''%E6%96%87%E4%BB%B6%20%281%29.pdf`);
  });

  test("STORAGE_DRIVER=s3 needs its bucket, endpoint and keys, and the error never shows a secret", () => {
    const secret = recordSecret(`s3-secret-${crypto.randomUUID()}`);
    let message = "";
    try {
      parseEnv({ STORAGE_DRIVER: "s3", S3_SECRET_ACCESS_KEY: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ["S3_BUCKET", "S3_ENDPOINT", "S3_ACCESS_KEY_ID"]) expect(message).toContain(name);
    expect(message).not.toContain(secret);
    expect(parseEnv({ STORAGE_DRIVER: "s3", S3_BUCKET: "desibazaar-files", S3_ENDPOINT: "https://s3.ap-south-1.amazonaws.com", S3_ACCESS_KEY_ID: "id", S3_SECRET_ACCESS_KEY: secret })).toMatchObject({ S3_REGION: "us-east-1" });
    expect(() => parseEnv({ FILE_SIGNING_SECRET: "short" })).toThrow(/FILE_SIGNING_SECRET/);
  });
});
