/**
 * Upgrade proration: the business gets credit for the unused part of the current
 * period at the old price, and pays for the same remainder at the new price.
 * Both are rounded to whole cents separately, as they appear on the invoice.
 */
export interface ProrationInput {
  oldPriceCents: number;
  newPriceCents: number;
  periodStart: Date;
  periodEnd: Date;
  now: Date;
}

export interface Proration {
  creditCents: number;
  chargeCents: number;
  /** charge - credit: what the proration invoice asks for. */
  amountCents: number;
  /** Unused share of the period, 0..1. */
  remainingFraction: number;
}

export function prorate({ oldPriceCents, newPriceCents, periodStart, periodEnd, now }: ProrationInput): Proration {
  const periodMs = Math.max(1, periodEnd.getTime() - periodStart.getTime());
  const remainingMs = Math.min(periodMs, Math.max(0, periodEnd.getTime() - now.getTime()));
  const creditCents = Math.round((oldPriceCents * remainingMs) / periodMs);
  const chargeCents = Math.round((newPriceCents * remainingMs) / periodMs);
  return { creditCents, chargeCents, amountCents: chargeCents - creditCents, remainingFraction: remainingMs / periodMs };
}
