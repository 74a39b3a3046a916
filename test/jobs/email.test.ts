/**
 * E-mail over real SMTP (a server on loopback): a customer's booking and order
 * bring confirmation e-mails rendered from that business's own templates, sent
 * in the business's name to that customer; the monthly report reaches the
 * owner with its CSV. A job run twice sends once.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { emailTemplates, monthlyReports } from "../../src/db/schema/index.ts";
import { runJob } from "../../src/jobs/run-job.ts";
import type { Worker } from "../../src/jobs/worker.ts";
import { createMailer } from "../../src/lib/mailer.ts";
import { client } from "../setup/client.ts";
import { inHours, makeProduct, makeService, quickUser, shop, unique } from "../setup/fixtures.ts";
import { deps, scopes } from "../setup/harness.ts";
import { startSmtp, type TestSmtp } from "./support/smtp.ts";
import { deleteJobs, drainTenantQueue, jobRow, jobsOf, testRuntime, testWorker } from "./support/jobs.ts";
import { waitFor } from "../setup/wait.ts";

setDefaultTimeout(60_000);

const FROM = "bookings@desibazaar.test";
let smtp: TestSmtp;
let worker: Worker;
let A: Awaited<ReturnType<typeof shop>>;
let B: Awaited<ReturnType<typeof shop>>;
const runtime = () => testRuntime({ mailer: createMailer(smtp.url), mailFrom: FROM });

beforeAll(async () => {
  smtp = await startSmtp();
  [A, B] = await Promise.all([shop({ name: `Chai Corner ${unique()}` }), shop({ name: `Masala House ${unique()}` })]);
  // Each business words its e-mails its own way.
  await scopes.asTenant(A.tenant.businessId, (s) =>
    s.db
      .update(emailTemplates)
      .set({ subject: "Chai Corner booked {{service_name}} for {{customer_name}}", body: "Namaste {{customer_name}}! {{business_name}} expects you on {{starts_at}} for {{service_name}}." })
      .where(and(eq(emailTemplates.businessId, A.tenant.businessId), eq(emailTemplates.key, "booking_confirmed"))),
  );
  await scopes.asTenant(B.tenant.businessId, (s) =>
    s.db
      .update(emailTemplates)
      .set({ subject: "Masala House order {{order_number}}", body: "Dear {{customer_name}}, your order {{order_number}} of {{order_total}} is being packed." })
      .where(and(eq(emailTemplates.businessId, B.tenant.businessId), eq(emailTemplates.key, "order_received"))),
  );
  worker = await testWorker({ runtime: runtime() });
  await drainTenantQueue();
});
afterAll(async () => {
  await worker.stop();
  await smtp.close();
  await deleteJobs([A.tenant.businessId, B.tenant.businessId]);
});

const fromOf = (mail: ParsedMail) => mail.from!.value[0]!;
const toOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0]! : mail.to!).value[0]!;
const mailTo = (address: string) => waitFor(`an e-mail to ${address}`, async () => smtp.delivered.find((m) => toOf(m).address === address));

describe("confirmation e-mails", () => {
  test("booking and order confirmations: the right business's template, its name as sender, the right customer", async () => {
    const priya = await quickUser("Priya Sharma");
    const arjun = await quickUser("Arjun Mehta");
    const threading = await makeService(A.owner, A.tenant, { name: "Eyebrow threading" });
    const tea = await makeProduct(B.owner, B.tenant, { name: "Assam tea", priceCents: 12_345, stock: 5 });
    await client({ token: priya.token }).customer.bookings.create.mutate({ tenantKey: A.tenant.tenantKey, serviceId: threading.id, startsAt: inHours(30) });
    const order = await client({ token: arjun.token }).customer.orders.create.mutate({ tenantKey: B.tenant.tenantKey, items: [{ productId: tea.id, quantity: 2 }] });

    const booking = await mailTo(priya.email);
    expect(fromOf(booking)).toEqual({ name: (await nameOf(A.tenant.businessId)), address: FROM });
    expect(toOf(booking)).toEqual({ name: "Priya Sharma", address: priya.email });
    expect(booking.subject).toBe("Chai Corner booked Eyebrow threading for Priya Sharma");
    expect(booking.text).toContain(`Namaste Priya Sharma! ${await nameOf(A.tenant.businessId)} expects you on `);
    expect(booking.messageId).toMatch(new RegExp(`^<booking-${A.tenant.businessId}-\\d+@desibazaar\\.test>$`));

    const receipt = await mailTo(arjun.email);
    expect(fromOf(receipt)).toEqual({ name: (await nameOf(B.tenant.businessId)), address: FROM });
    expect(toOf(receipt)).toEqual({ name: "Arjun Mehta", address: arjun.email });
    expect(receipt.subject).toBe(`Masala House order #${order.id}`);
    expect(receipt.text).toMatch(new RegExp(`^Dear Arjun Mehta, your order #${order.id} of .*246\\.90 is being packed\\.`));
    // Neither business's wording leaks into the other's mail.
    expect(receipt.text).not.toContain("Namaste");
    expect(booking.text).not.toContain("packed");
  });

  test("the same job run again (a worker that died before marking it done) sends nothing more", async () => {
    const customer = await quickUser("Meera Iyer");
    const service = await makeService(A.owner, A.tenant);
    const booking = await client({ token: customer.token }).customer.bookings.create.mutate({ tenantKey: A.tenant.tenantKey, serviceId: service.id, startsAt: inHours(40) });
    await mailTo(customer.email);
    const job = (await jobsOf(A.tenant.businessId)).find((j) => j.data.data.bookingId === booking.id)!;
    await waitFor("the job to complete", async () => (await jobRow(job.id))?.state === "completed");
    const fetched = { id: job.id, name: job.name, data: job.data, retryCount: 1, expireInSeconds: 120, sourceId: null } as never;
    await runJob({ scopes: deps.scopes, runtime: runtime() }, "tenant-jobs", fetched);
    expect(smtp.delivered.filter((m) => toOf(m).address === customer.email)).toHaveLength(1);
  });
});

describe("monthly report", () => {
  test("the month's bookings and orders reach the owner as CSV, kept once however often the job runs", async () => {
    const customer = await quickUser('=HYPERLINK("http://evil.test")');
    const service = await makeService(A.owner, A.tenant, { name: "Head massage" });
    await client({ token: customer.token }).customer.bookings.create.mutate({ tenantKey: A.tenant.tenantKey, serviceId: service.id, startsAt: inHours(60) });
    const period = new Date().toISOString().slice(0, 7);
    const send = () => scopes.asTenant(A.tenant.businessId, (s) => s.jobs.send("reports.monthly", { period }));
    const first = await send();
    await waitFor("the report job", async () => (await jobRow(first))?.state === "completed");
    const second = await send();
    await waitFor("the repeated report job", async () => (await jobRow(second))?.state === "completed");

    const reports = smtp.delivered.filter((m) => toOf(m).address === A.owner.email);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.subject).toBe(`${await nameOf(A.tenant.businessId)}: bookings and orders for ${period}`);
    const csv = reports[0]!.attachments[0]!.content.toString("utf8");
    expect(csv.split("\r\n")[0]).toBe("kind,id,created_at,status,customer_name,customer_email,item,starts_at,amount_cents,currency");
    // A name that a spreadsheet would run as a formula is defused and quoted, its quotes doubled.
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.test"")",${customer.email},Head massage,`);
    const stored = await scopes.asTenant(A.tenant.businessId, (s) => s.db.select().from(monthlyReports).where(eq(monthlyReports.period, period)));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.csv).toBe(csv);
  });
});

async function nameOf(businessId: number): Promise<string> {
  const api = businessId === A.tenant.businessId ? A.api : B.api;
  return (await api.tenants.current.query()).name;
}
