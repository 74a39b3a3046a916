import { z } from "zod";
import { OutText } from "../../lib/schemas.ts";

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobStatusInput = z.object({ id: z.uuid() });
export type JobStatusInput = z.infer<typeof JobStatusInput>;

export const ListJobsInput = z.object({
  state: z.enum(JOB_STATES).optional(),
  limit: z.number().int().min(1).max(100).default(20),
}).default({ limit: 20 });
export type ListJobsInput = z.infer<typeof ListJobsInput>;

export const QueueDepthInput = z.object({ businesses: z.number().int().min(1).max(500).default(50) }).default({ businesses: 50 });
export type QueueDepthInput = z.infer<typeof QueueDepthInput>;

/** What a business sees of one of its jobs (the contract's jobs.status shape). */
export const JobStatus = z.object({
  id: OutText,
  type: OutText,
  state: z.enum(JOB_STATES),
  /** Runs started so far, this one included. */
  attempts: z.number(),
  createdAt: z.date(),
  completedAt: z.date().optional(),
});
export type JobStatus = z.infer<typeof JobStatus>;
export const JobList = z.object({ items: z.array(JobStatus) });

const StateCounts = z.object(Object.fromEntries(JOB_STATES.map((s) => [s, z.number()])) as Record<JobState, z.ZodNumber>);
export const QueueDepth = z.object({
  queues: z.array(z.object({ name: OutText, states: StateCounts })),
  /** Businesses with the most jobs waiting (created or retry) first. */
  businesses: z.array(z.object({ businessId: z.number(), slug: OutText.nullable(), name: OutText.nullable(), states: StateCounts })),
});
export type QueueDepth = z.infer<typeof QueueDepth>;
