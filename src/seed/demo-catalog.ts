/**
 * The demo business's catalogue, so a newcomer can list products, order and book
 * right after the first `bun run start`.
 */
import { eq } from "drizzle-orm";
import { businessAccess, businessTenants } from "../db/schema/index.ts";
import { createCategory, listCategories } from "../services/catalog/categories.ts";
import { createService } from "../services/catalog/bookable-services.ts";
import { createProduct } from "../services/products/create.ts";
import type { Scopes } from "../tenancy/scopes.ts";

const PRODUCTS = [
  { name: "Herbal Shampoo", priceCents: 34900, stock: 40, category: "Hair care" },
  { name: "Argan Hair Oil", priceCents: 59900, stock: 25, category: "Hair care" },
  { name: "Sandalwood Face Pack", priceCents: 24900, stock: 30, category: "Skin care" },
];

const SERVICES = [
  { name: "Haircut", durationMinutes: 30, priceCents: 40000 },
  { name: "Head massage", durationMinutes: 45, priceCents: 60000 },
  { name: "Bridal make-up", durationMinutes: 120, priceCents: 800000 },
];

export async function seedDemoCatalog(scopes: Scopes, slug: string): Promise<void> {
  const [owner] = await scopes.asSuperAdmin((s) =>
    s.db
      .select({ businessId: businessTenants.id, userId: businessAccess.userId })
      .from(businessTenants)
      .innerJoin(businessAccess, eq(businessAccess.businessId, businessTenants.id))
      .where(eq(businessTenants.slug, slug)),
  );
  if (!owner) return;
  await scopes.asTenant(
    owner.businessId,
    async (scope) => {
      // Provisioning already created the industry's default categories: reuse a name that exists.
      const categoryIds = new Map((await listCategories(scope)).map((c) => [c.name, c.id]));
      for (const name of new Set(PRODUCTS.map((p) => p.category))) {
        if (!categoryIds.has(name)) categoryIds.set(name, (await createCategory(scope, { name })).id);
      }
      for (const p of PRODUCTS) {
        await createProduct(scope, { name: p.name, priceCents: p.priceCents, stock: p.stock, categoryId: categoryIds.get(p.category), status: "active" });
      }
      for (const s of SERVICES) await createService(scope, s);
    },
    { userId: owner.userId },
  );
}
