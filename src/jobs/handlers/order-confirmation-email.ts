/** The receipt a customer gets after ordering: the business's order_received template, in its name. */
import { orderConfirmation } from "../../services/email/confirmations.ts";
import { defineConfirmationEmailJob } from "./confirmation-email.ts";

export const orderConfirmationEmail = defineConfirmationEmailJob({
  type: "email.order-confirmation",
  entity: "order",
  idField: "orderId",
  build: orderConfirmation,
});
