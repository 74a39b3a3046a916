/** What job handlers get besides their scope, from the environment: the mailer and the settings they apply. */
import type { Env } from "../env.ts";
import { createMailer } from "../lib/mailer.ts";
import type { JobRuntime } from "./definition.ts";

export function jobRuntimeFromEnv(env: Env, extra: Partial<JobRuntime> = {}): JobRuntime {
  return {
    mailer: createMailer(env.SMTP_URL),
    mailFrom: env.MAIL_FROM,
    orderHoldMinutes: env.ORDER_HOLD_MINUTES,
    ...extra,
  };
}
