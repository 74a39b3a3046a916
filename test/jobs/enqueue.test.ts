/**
 * Queueing: a job exists only if the transaction that queued it commits; it
 * carries its tenant, type, data and request id; bad sends are refused before
 * they reach the queue; and the database itself keeps a tenant (or a customer)
 * from queueing for, or reading the jobs of, another business.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { ForbiddenError, ValidationError } from "../../src/lib/errors.ts";
import { withContext } from "../../src/tenancy/request-context.ts";
import { client, expectCode } from "../setup/client.ts";
import { loginRoleFacts, objectsOwnedBy, ROLE } from "../setup/catalog.ts";
import { dbError } from "../setup/db-errors.ts";
import { inHours, makeBooking, makeService, quickUser, shop } from "../setup/fixtures.ts";
import { deps, scopes } from "../setup/harness.ts";
import { deleteJobs, jobRow, jobsOf, jobsUrl, owner } from "./support/jobs.ts";

setDefaultTimeout(60_000);

let A: Awaited<ReturnType<typeof shop>>;
let B: Awaited<ReturnType<typeof shop>>;
beforeAll(async () => {
  [A, B] = await Promise.all([shop(), shop()]);
});
afterAll(() => deleteJobs([A.tenant.businessId, B.tenant.businessId]));

const asA = <T>(fn: Parameters<typeof scopes.asTenant<T>>[1]) => scopes.asTenant(A.tenant.businessId, fn);

describe("a job exists if and only if its transaction commits", () => {
  test("committed: the job is queued; rolled back: it never existed", async () => {
    const committed = await asA((s) => s.jobs.send("test.noop", { n: 1 }));
    let rolledBack: string | undefined;
    await expect(
      asA(async (s) => {
        rolledBack = await s.jobs.send("test.noop", { n: 2 });
        throw new Error("the procedure failed after queueing");
      }),
    ).rejects.toThrow("the procedure failed after queueing");
    expect(await jobRow(committed)).toMatchObject({ name: "tenant-jobs", state: "created", group_id: String(A.tenant.businessId) });
    expect(rolledBack).toMatch(/^[0-9a-f-]{36}$/);
    expect(await jobRow(rolledBack!)).toBeUndefined();
  });

  test("a booking refused with CONFLICT leaves no confirmation e-mail job; an accepted one leaves exactly one", async () => {
    const service = await makeService(A.owner, A.tenant, { durationMinutes: 60 });
    const customer = await quickUser();
    const api = client({ token: customer.token });
    const startsAt = inHours(50);
    const booking = await api.customer.bookings.create.mutate({ tenantKey: A.tenant.tenantKey, serviceId: service.id, startsAt, staffUserId: A.owner.userId });
    await expectCode(api.customer.bookings.create.mutate({ tenantKey: A.tenant.tenantKey, serviceId: service.id, startsAt, staffUserId: A.owner.userId }), "CONFLICT");
    const emails = (await jobsOf(A.tenant.businessId)).filter((j) => j.data.type === "email.booking-confirmation");
    expect(emails.map((j) => j.data.data)).toEqual([{ bookingId: booking.id }]);
  });
});

describe("every job carries tenantId, type, data and requestId", () => {
  test("the envelope and the fairness group name the business; the request id is the queueing request's", async () => {
    const requestId = `req-${crypto.randomUUID()}`;
    const id = await withContext({ requestId }, () => asA((s) => s.jobs.send("test.noop", { n: 3 })));
    const row = await jobRow(id);
    expect(row!.data).toEqual({ tenantId: A.tenant.businessId, type: "test.noop", data: { n: 3 }, requestId });
    expect(row!.group_id).toBe(String(A.tenant.businessId));
  });

  test("a customer's booking queues its confirmation as the business, carrying the booking", async () => {
    const customer = await quickUser();
    const booking = await makeBooking(customer, B.tenant, { serviceId: (await makeService(B.owner, B.tenant)).id });
    const job = (await jobsOf(B.tenant.businessId)).find((j) => j.data.data.bookingId === booking.id);
    expect(job).toMatchObject({ name: "tenant-jobs", group_id: String(B.tenant.businessId) });
    expect(job!.data).toMatchObject({ tenantId: B.tenant.businessId, type: "email.booking-confirmation" });
  });

  test("the same key twice is one job (and the same id)", async () => {
    const first = await asA((s) => s.jobs.send("test.noop", { n: 4 }, { key: "once" }));
    const second = await asA((s) => s.jobs.send("test.noop", { n: 4 }, { key: "once" }));
    expect(second).toBe(first);
    expect((await jobsOf(A.tenant.businessId)).filter((j) => j.id === first)).toHaveLength(1);
  });
});

describe("bad sends are refused before anything is queued", () => {
  const refused = async (send: (s: Parameters<Parameters<typeof asA>[0]>[0]) => Promise<unknown>, kind: typeof ValidationError | typeof ForbiddenError) => {
    const before = (await jobsOf(A.tenant.businessId)).length;
    await expect(asA(send)).rejects.toBeInstanceOf(kind);
    expect((await jobsOf(A.tenant.businessId)).length).toBe(before);
  };
  test("an unknown type", () => refused((s) => s.jobs.send("test.no-such-type", {}), ValidationError));
  test("data that does not match the type", () => refused((s) => s.jobs.send("test.noop", { n: "three" }), ValidationError));
  test("a platform type: only the scheduler queues those", () => refused((s) => s.jobs.send("platform.rollover", {}), ValidationError));
  test("a job without a tenant", () => refused((s) => deps.jobs.enqueue(s.db, "tenant", [{ tenantId: 0, type: "test.noop", data: { n: 1 } }]), ValidationError));
  test("a customer queueing a type customers may not queue", async () => {
    const customer = await quickUser();
    await expect(
      scopes.asCustomer(customer.userId, (s) => s.jobs.forBusiness(A.tenant.businessId).send("reports.monthly", { period: "2026-10" })),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("the database holds the tenant boundary on jobs, whatever SQL reaches the connection", () => {
  const raw = (fields: { name?: string; tenant: number; group: number; priority?: number }) => sql`
    insert into pgboss.job_common (name, data, group_id, priority)
    values (${fields.name ?? "tenant-jobs"}, ${JSON.stringify({ tenantId: fields.tenant, type: "test.noop", data: { n: 1 }, requestId: "raw" })}::jsonb,
            ${String(fields.group)}, ${fields.priority ?? 0})`;

  test("a tenant's own raw insert passes (the policy is not simply closed)", async () => {
    await asA((s) => s.db.execute(raw({ tenant: A.tenant.businessId, group: A.tenant.businessId })));
  });

  const refusals: [string, () => { name?: string; tenant: number; group: number; priority?: number }][] = [
    ["for another business", () => ({ tenant: B.tenant.businessId, group: B.tenant.businessId })],
    ["in its own group but naming another business", () => ({ tenant: B.tenant.businessId, group: A.tenant.businessId })],
    ["naming itself but in another business's fairness group", () => ({ tenant: A.tenant.businessId, group: B.tenant.businessId })],
    ["into the platform queue (it runs as super admin)", () => ({ name: "platform-jobs", tenant: A.tenant.businessId, group: A.tenant.businessId })],
    ["ahead of the line (priority above 0)", () => ({ tenant: A.tenant.businessId, group: A.tenant.businessId, priority: 1000 })],
  ];
  for (const [label, fields] of refusals) {
    test(`a tenant's raw insert ${label} is refused by RLS`, async () => {
      expect((await dbError(asA((s) => s.db.execute(raw(fields()))))).code).toBe("42501");
    });
  }

  test("queueing through pg-boss for another business from a tenant transaction is refused too", async () => {
    expect((await dbError(asA((s) => deps.jobs.enqueue(s.db, "tenant", [{ tenantId: B.tenant.businessId, type: "test.noop", data: { n: 1 } }])))).code).toBe("42501");
  });

  test("a tenant reads its own jobs and none of another business's; it can neither change nor delete jobs", async () => {
    await scopes.asTenant(B.tenant.businessId, (s) => s.jobs.send("test.noop", { n: 5 }));
    const seen = await asA(async (s) => {
      const rows = (await s.db.execute(sql`select distinct group_id from pgboss.job`)) as unknown as { group_id: string }[];
      const [b] = (await s.db.execute(sql`select count(*)::int as n from pgboss.job where group_id = ${String(B.tenant.businessId)}`)) as unknown as { n: number }[];
      return { groups: rows.map((r) => r.group_id), foreign: b!.n };
    });
    expect(seen).toEqual({ groups: [String(A.tenant.businessId)], foreign: 0 });
    expect((await jobsOf(B.tenant.businessId)).length).toBeGreaterThan(0);
    for (const statement of [sql`update pgboss.job_common set priority = 0`, sql`delete from pgboss.job_common`]) {
      expect((await dbError(asA((s) => s.db.execute(statement)))).code).toBe("42501");
    }
  });

  test("a customer may queue only about its own booking with that business", async () => {
    const customer = await quickUser();
    const other = await quickUser();
    const service = await makeService(A.owner, A.tenant);
    const own = await makeBooking(customer, A.tenant, { serviceId: service.id });
    const theirs = await makeBooking(other, A.tenant, { serviceId: service.id });
    const send = (businessId: number, bookingId: number) =>
      scopes.asCustomer(customer.userId, (s) => s.jobs.forBusiness(businessId).send("email.booking-confirmation", { bookingId }));
    expect(await send(A.tenant.businessId, own.id)).toMatch(/^[0-9a-f-]{36}$/);
    expect((await dbError(send(B.tenant.businessId, own.id))).code).toBe("42501");
    expect((await dbError(send(A.tenant.businessId, theirs.id))).code).toBe("42501");
  });
});

describe("the queue's own role (the jobs role)", () => {
  test("is no superuser, cannot bypass RLS, owns nothing, and cannot read tenant data", async () => {
    expect(await loginRoleFacts(owner, [ROLE.jobs])).toEqual([
      { role: ROLE.jobs, superuser: false, bypassrls: false, createrole: false, createdb: false, memberOf: [] },
    ]);
    expect(await objectsOwnedBy(owner, [ROLE.jobs])).toEqual([]);
    const jobsRole = postgres(jobsUrl, { max: 1, onnotice: () => {} });
    try {
      expect((await dbError(jobsRole`select count(*) from public.products`)).code).toBe("42501");
      expect((await dbError(jobsRole`create table pgboss.mine (x int)`)).code).toBe("42501");
      await jobsRole`select count(*) from pgboss.job`; // but it works the queue
    } finally {
      await jobsRole.end();
    }
  });

  test("the job table and every partition of it have forced row-level security", async () => {
    const tables = await owner<{ name: string; rls: boolean; forced: boolean }[]>`
      select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced from pg_class c
       where c.oid = 'pgboss.job'::regclass or c.oid in (select inhrelid from pg_inherits where inhparent = 'pgboss.job'::regclass)`;
    expect(tables.length).toBeGreaterThanOrEqual(2);
    expect(tables.filter((t) => !t.rls || !t.forced)).toEqual([]);
  });
});
