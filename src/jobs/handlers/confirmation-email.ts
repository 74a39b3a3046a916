/**
 * The shape both confirmation e-mails share (booking and order): the same
 * policy, the same claim-then-send flow and the same dead-letter audit. Only the
 * type, the id field, the entity's word and the mail builder differ.
 */
import { z } from "zod";
import { Id } from "../../lib/schemas.ts";
import type { MailMessage } from "../../lib/mailer.ts";
import { recordAudit } from "../../services/audit/record.ts";
import { recordEffect } from "../../services/jobs/effects.ts";
import type { TenantScope } from "../../tenancy/scopes.ts";
import { defineTenantJob } from "../definition.ts";

interface ConfirmationEmail<K extends string> {
  type: string;
  /** The word in effect keys, log lines and the audit's entityType. */
  entity: "booking" | "order";
  /** The data's one field, the entity's id (app.customer_may_enqueue in sql/030 checks it by name). */
  idField: K;
  /** The mail, or null when there is nothing to confirm (gone or cancelled). */
  build(scope: TenantScope, id: number, fromAddress: string): Promise<MailMessage | null>;
}

export function defineConfirmationEmailJob<K extends string>({ type, entity, idField, build }: ConfirmationEmail<K>) {
  // zod infers a computed key as any string; the cast names it (the schema checks exactly this field).
  const data = z.object({ [idField]: Id }) as unknown as z.ZodType<Record<K, number>>;
  return defineTenantJob({
    type,
    data,
    customerMay: true,
    policy: { retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 900, expireInSeconds: 120 },
    async run({ scope, data, job, log, runtime }) {
      const id = data[idField];
      const fields = { [idField]: id };
      // Claimed before sending and committed after: a failed send rolls the claim back, and a
      // repeat after a crash finds it and sends nothing.
      if (!(await recordEffect(scope, `email:${entity}-confirmation:${id}`, job.id))) {
        log.info(fields, `${entity} confirmation was already sent`);
        return;
      }
      const mail = await build(scope, id, runtime.mailFrom);
      if (!mail) {
        log.info(fields, `${entity} gone or cancelled: no confirmation sent`);
        return;
      }
      await runtime.mailer.send(mail);
      log.info(fields, `${entity} confirmation sent`);
    },
    // The business's audit log shows the customer never got the confirmation.
    async onDeadLetter({ scope, data, job, error }) {
      await recordAudit(scope, { action: "email.undeliverable", entityType: entity, entityId: data[idField], details: { job: job.deadLetterOf, error } });
    },
  });
}
