/** The e-mail a customer gets after booking: the business's booking_confirmed template, in its name. */
import { z } from "zod";
import { recordAudit } from "../../services/audit/record.ts";
import { Id } from "../../lib/schemas.ts";
import { bookingConfirmation } from "../../services/email/confirmations.ts";
import { recordEffect } from "../../services/jobs/effects.ts";
import { defineTenantJob } from "../definition.ts";

export const bookingConfirmationEmail = defineTenantJob({
  type: "email.booking-confirmation",
  data: z.object({ bookingId: Id }),
  customerMay: true,
  policy: { retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 900, expireInSeconds: 120 },
  async run({ scope, data, job, log, runtime }) {
    // Claimed before sending and committed after: a failed send rolls the claim back, and a
    // repeat after a crash finds it and sends nothing.
    if (!(await recordEffect(scope, `email:booking-confirmation:${data.bookingId}`, job.id))) {
      log.info({ bookingId: data.bookingId }, "booking confirmation was already sent");
      return;
    }
    const mail = await bookingConfirmation(scope, data.bookingId, runtime.mailFrom);
    if (!mail) {
      log.info({ bookingId: data.bookingId }, "booking gone or cancelled: no confirmation sent");
      return;
    }
    await runtime.mailer.send(mail);
    log.info({ bookingId: data.bookingId }, "booking confirmation sent");
  },
  // The business's audit log shows the customer never got the confirmation.
  async onDeadLetter({ scope, data, job, error }) {
    await recordAudit(scope, { action: "email.undeliverable", entityType: "booking", entityId: data.bookingId, details: { job: job.deadLetterOf, error } });
  },
});
