/**
 * The jobs' settings: defaults, bad values stopping start-up with the variable
 * named (never the value: SMTP_URL can hold a password), the mailer never
 * showing the credentials in its SMTP URL, and the log mailer (no SMTP_URL)
 * writing each e-mail to the log without its attachments' contents.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { env, parseEnv } from "../../src/env.ts";
import { createMailer } from "../../src/lib/mailer.ts";
import { renderTemplate } from "../../src/services/email/render.ts";
import { csvField } from "../../src/services/reports/monthly.ts";
import { recordSecret } from "../setup/secrets.ts";

describe("environment", () => {
  test("defaults: 8 jobs at a time, 4 per business, a worker in the API process, a 30-minute hold, e-mail to the log", () => {
    expect(parseEnv({})).toMatchObject({ JOB_CONCURRENCY: 8, JOB_TENANT_CONCURRENCY: 4, JOBS_IN_PROCESS: true, ORDER_HOLD_MINUTES: 30, MAIL_FROM: "no-reply@desibazaar.local" });
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
    expect(parseEnv({ JOBS_IN_PROCESS: "false", ORDER_HOLD_MINUTES: "45" })).toMatchObject({ JOBS_IN_PROCESS: false, ORDER_HOLD_MINUTES: 45 });
  });

  const secret = recordSecret(`smtp-pw-${crypto.randomUUID()}`);
  for (const [variable, value] of [
    ["SMTP_URL", `http://mailer:${secret}@mail.example.test`],
    ["JOB_CONCURRENCY", "0"],
    ["JOB_TENANT_CONCURRENCY", "many"],
    ["ORDER_HOLD_MINUTES", "-5"],
    ["MAIL_FROM", "not an address"],
    ["JOBS_IN_PROCESS", "maybe"],
    ["DATABASE_JOBS_URL", `mysql://jobs:${secret}@db/app`],
  ] as const) {
    test(`${variable}=${value.replace(secret, "…")} stops start-up naming the variable, not the value`, () => {
      let message = "";
      try {
        parseEnv({ [variable]: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(variable);
      expect(message).not.toContain(secret);
    });
  }
});

describe("mailer and rendering", () => {
  test("the SMTP description shows host and port only", () => {
    const secret = recordSecret(`smtp-pw-${crypto.randomUUID()}`);
    const mailer = createMailer(`smtps://bookings:${secret}@mail.example.test`);
    expect(mailer.description).toBe("SMTP at mail.example.test:465");
    mailer.close();
  });

  test("without SMTP_URL the e-mail is written to the log: addresses, subject and text, attachments by name only, no header breaks", async () => {
    const to = `${crypto.randomUUID()}@example.test`;
    // An attachment (a business's monthly CSV) is data the log has no business holding.
    const content = `customer,email\nAsha,asha-${crypto.randomUUID()}@example.test\n`;
    await createMailer(undefined).send({
      from: { name: "Chai Point", address: "bookings@desibazaar.test" },
      to: { name: "Asha\r\nBcc: victim@example.test", address: to },
      subject: "Your booking\nBcc: victim@example.test",
      text: "See you on Monday.",
      attachments: [{ filename: "2024-01.csv", content, contentType: "text/csv" }],
    });
    const lines = readFileSync(env.LOG_FILE!, "utf8").split("\n").filter((line) => line.includes(to));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry.msg).toBe("e-mail not sent: SMTP_URL is not set, so it is logged instead");
    expect(entry.mail).toEqual({
      from: { name: "Chai Point", address: "bookings@desibazaar.test" },
      to: { name: "Asha Bcc: victim@example.test", address: to },
      subject: "Your booking Bcc: victim@example.test",
      text: "See you on Monday.",
      attachments: ["2024-01.csv"],
    });
    expect(lines[0]).not.toContain(content.split("\n")[1]!);
  });

  test("templates substitute once: a value that looks like a placeholder stays text", () => {
    expect(renderTemplate("Hi {{customer_name}} of {{ business_name }} {{unknown}}", { customer_name: "{{business_name}}", business_name: "Chai" })).toBe(
      "Hi {{business_name}} of Chai {{unknown}}",
    );
  });

  test("CSV fields: quotes doubled, separators quoted, formula starts defused", () => {
    expect(["plain", 'say "hi"', "a,b", "=1+1", "-2", "@cmd", "line\nbreak", null, 42].map(csvField)).toEqual([
      "plain",
      '"say ""hi"""',
      '"a,b"',
      "'=1+1",
      "'-2",
      "'@cmd",
      '"line\nbreak"',
      "",
      "42",
    ]);
  });
});
