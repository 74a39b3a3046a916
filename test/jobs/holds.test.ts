/**
 * Unpaid orders hold their stock for ORDER_HOLD_MINUTES (30 by default). Past
 * it, the release job cancels the order and returns its stock with a ledger
 * entry and an audit row, once however often it runs; fresh orders and other
 * businesses' orders are left alone. The every-minute sweep hands the work to
 * each business that has expired holds.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { inventoryMovements, orders } from "../../src/db/schema/index.ts";
import type { Worker } from "../../src/jobs/worker.ts";
import { releaseExpiredHolds } from "../../src/services/orders/release-expired-holds.ts";
import { auditRows, makeOrder, makeProduct, quickUser, shop, stockAndLedger } from "../setup/fixtures.ts";
import { scopes } from "../setup/harness.ts";
import { deleteJobs, jobRow, jobsOf, owner, runPlatform, testWorker } from "./support/jobs.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(60_000);

let A: Awaited<ReturnType<typeof shop>>;
let B: Awaited<ReturnType<typeof shop>>;
let worker: Worker;
beforeAll(async () => {
  [A, B] = await Promise.all([shop(), shop()]);
  worker = await testWorker();
});
afterAll(async () => {
  await worker.stop();
  await deleteJobs([A.tenant.businessId, B.tenant.businessId]);
});

/** An order placed `minutesAgo` minutes ago (created_at moved back on the owner connection). */
async function orderPlaced(shopOf: typeof A, productId: number, quantity: number, minutesAgo: number) {
  const order = await makeOrder(await quickUser(), shopOf.tenant, [{ productId, quantity }]);
  await owner`update orders set created_at = now() - make_interval(mins => ${minutesAgo}) where business_id = ${shopOf.tenant.businessId} and id = ${order.id}`;
  return order;
}
const statusOf = (businessId: number, orderId: number) =>
  scopes.asTenant(businessId, async (s) => (await s.db.select({ status: orders.status }).from(orders).where(and(eq(orders.businessId, businessId), eq(orders.id, orderId))))[0]!.status);

describe("releasing stock held by unpaid orders", () => {
  test("an order past its hold is cancelled and its stock returned with a ledger entry and an audit row, once", async () => {
    const product = await makeProduct(A.owner, A.tenant, { stock: 10 });
    const expired = await orderPlaced(A, product.id, 3, 31);
    const fresh = await orderPlaced(A, product.id, 2, 5);
    expect(await stockAndLedger(A.tenant, product.id)).toEqual({ stock: 5, ledger: 5, entries: 3 });

    for (const attempt of [1, 2]) {
      const id = await scopes.asTenant(A.tenant.businessId, (s) => s.jobs.send("orders.release-expired-holds", {}));
      await waitFor(`release job ${attempt}`, async () => (await jobRow(id))?.state === "completed");
    }
    expect(await statusOf(A.tenant.businessId, expired.id)).toBe("cancelled");
    expect(await statusOf(A.tenant.businessId, fresh.id)).toBe("pending");
    expect(await stockAndLedger(A.tenant, product.id)).toEqual({ stock: 8, ledger: 8, entries: 4 });
    const returned = await scopes.asTenant(A.tenant.businessId, (s) =>
      s.db.select().from(inventoryMovements).where(and(eq(inventoryMovements.businessId, A.tenant.businessId), eq(inventoryMovements.reason, "hold_expired"))),
    );
    expect(returned.map((m) => [m.orderId, m.productId, m.delta])).toEqual([[expired.id, product.id, 3]]);
    expect((await auditRows(A.tenant, { action: "order.hold_expired" })).map((r) => r.entityId)).toEqual([String(expired.id)]);
  });

  test("the hold time is a setting: with 60 minutes, a 31-minute-old order keeps its stock", async () => {
    const product = await makeProduct(A.owner, A.tenant, { stock: 4 });
    const order = await orderPlaced(A, product.id, 1, 31);
    const result = await scopes.asTenant(A.tenant.businessId, (s) => releaseExpiredHolds(s, { holdMinutes: 60 }));
    expect(result.released).not.toContain(order.id);
    expect(await statusOf(A.tenant.businessId, order.id)).toBe("pending");
  });

  test("the sweep queues a release job for each business with expired holds, and each runs as its business", async () => {
    const product = await makeProduct(B.owner, B.tenant, { stock: 6 });
    const expired = await orderPlaced(B, product.id, 4, 45);
    await runPlatform("platform.release-expired-holds");
    const queued = (await jobsOf(B.tenant.businessId)).filter((j) => j.data.type === "orders.release-expired-holds");
    expect(queued).toHaveLength(1);
    await waitFor("B's release job", async () => (await jobRow(queued[0]!.id))?.state === "completed");
    expect(await statusOf(B.tenant.businessId, expired.id)).toBe("cancelled");
    expect(await stockAndLedger(B.tenant, product.id)).toEqual({ stock: 6, ledger: 6, entries: 3 });
  });
});
