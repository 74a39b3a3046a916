/** The receipt a customer gets after ordering: the business's order_received template, in its name. */
import { z } from "zod";
import { recordAudit } from "../../services/audit/record.ts";
import { Id } from "../../lib/schemas.ts";
import { orderConfirmation } from "../../services/email/confirmations.ts";
import { recordEffect } from "../../services/jobs/effects.ts";
import { defineTenantJob } from "../definition.ts";

export const orderConfirmationEmail = defineTenantJob({
  type: "email.order-confirmation",
  data: z.object({ orderId: Id }),
  customerMay: true,
  policy: { retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 900, expireInSeconds: 120 },
  async run({ scope, data, job, log, runtime }) {
    if (!(await recordEffect(scope, `email:order-confirmation:${data.orderId}`, job.id))) {
      log.info({ orderId: data.orderId }, "order confirmation was already sent");
      return;
    }
    const mail = await orderConfirmation(scope, data.orderId, runtime.mailFrom);
    if (!mail) {
      log.info({ orderId: data.orderId }, "order gone or cancelled: no confirmation sent");
      return;
    }
    await runtime.mailer.send(mail);
    log.info({ orderId: data.orderId }, "order confirmation sent");
  },
  async onDeadLetter({ scope, data, job, error }) {
    await recordAudit(scope, { action: "email.undeliverable", entityType: "order", entityId: data.orderId, details: { job: job.deadLetterOf, error } });
  },
});
