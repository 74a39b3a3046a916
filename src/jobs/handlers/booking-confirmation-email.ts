/** The e-mail a customer gets after booking: the business's booking_confirmed template, in its name. */
import { bookingConfirmation } from "../../services/email/confirmations.ts";
import { defineConfirmationEmailJob } from "./confirmation-email.ts";

export const bookingConfirmationEmail = defineConfirmationEmailJob({
  type: "email.booking-confirmation",
  entity: "booking",
  idField: "bookingId",
  build: bookingConfirmation,
});
