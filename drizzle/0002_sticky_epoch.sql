ALTER TABLE "users" ADD COLUMN "max_businesses" integer;--> statement-breakpoint
ALTER TABLE "business_settings" ADD COLUMN "booking_horizon_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "business_settings" ADD COLUMN "max_open_bookings_per_customer" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "business_settings" ADD COLUMN "max_pending_orders_per_customer" integer DEFAULT 5 NOT NULL;