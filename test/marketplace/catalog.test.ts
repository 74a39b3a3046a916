/** categories.* and services.*: each business's own catalogue, its names and prices. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectCode } from "../setup/client.ts";
import { countRows, makeCategory, makeService, shop } from "../setup/fixtures.ts";

setDefaultTimeout(60_000);

describe("categories", () => {
  test("list is the business's own categories by name; a duplicate name is CONFLICT there but fine elsewhere", async () => {
    const a = await shop();
    const b = await shop();
    // Provisioning may seed an industry's default categories: compare with what the business started with.
    const seeded = (await a.api.categories.list.query()).map((c) => c.name);
    await a.api.categories.create.mutate({ name: "Zeera Sweets" });
    await a.api.categories.create.mutate({ name: "Aam Dals", description: "Lentils" });
    await makeCategory(b.owner, b.tenant, { name: "Only in the other shop" });
    const listed = await a.api.categories.list.query();
    const names = listed.map((c) => c.name);
    // Exactly the seeded ones and the two made here (nothing of the other shop), by name (collation decides ties like "&").
    expect([...names].sort()).toEqual([...seeded, "Zeera Sweets", "Aam Dals"].sort());
    expect(names.indexOf("Aam Dals")).toBeLessThan(names.indexOf("Zeera Sweets"));
    expect(listed.find((c) => c.name === "Aam Dals")?.description).toBe("Lentils");

    const before = await countRows(a.tenant, "categories");
    const error = await expectCode(a.api.categories.create.mutate({ name: "Zeera Sweets" }), "CONFLICT");
    expect(error.message).toContain("Zeera Sweets");
    expect(await countRows(a.tenant, "categories")).toBe(before);
    expect((await b.api.categories.create.mutate({ name: "Zeera Sweets" })).name).toBe("Zeera Sweets");
  });

  test("names are trimmed; an empty or over-long name is BAD_REQUEST", async () => {
    const { api } = await shop();
    expect((await api.categories.create.mutate({ name: "  Pickles  " })).name).toBe("Pickles");
    for (const name of ["", "   ", "x".repeat(201)]) {
      const error = await expectCode(api.categories.create.mutate({ name }), "BAD_REQUEST");
      expect(error.data?.zodError?.fieldErrors).toHaveProperty("name");
    }
  });
});

describe("services", () => {
  test("bookable services keep duration and price in integer cents; currency defaults to the business's", async () => {
    const { owner, tenant, api } = await shop();
    const cut = await api.services.create.mutate({ name: "Haircut", durationMinutes: 45, priceCents: 35000 });
    expect(cut).toMatchObject({ durationMinutes: 45, priceCents: 35000, currency: "INR", active: true });
    const eur = await api.services.create.mutate({ name: "Beard trim", durationMinutes: 15, priceCents: 900, currency: "eur" });
    expect(eur.currency).toBe("EUR");

    const other = await shop();
    await makeService(other.owner, other.tenant, { name: "Not mine" });
    await makeService(owner, tenant, { name: "Anointing" });
    expect((await api.services.list.query()).map((s) => s.name)).toEqual(["Anointing", "Beard trim", "Haircut"]);
  });

  test("duration must be 5..1440 whole minutes and the price whole, non-negative cents", async () => {
    const { tenant, api } = await shop();
    const base = { name: "X", durationMinutes: 30, priceCents: 100 };
    for (const bad of [{ durationMinutes: 4 }, { durationMinutes: 1441 }, { durationMinutes: 7.5 }, { priceCents: -1 }, { priceCents: 12.5 }, { currency: "RUPEE" }]) {
      await expectCode(api.services.create.mutate({ ...base, ...bad }), "BAD_REQUEST");
    }
    expect(await countRows(tenant, "services")).toBe(0);
  });
});
