import { z } from "zod";

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
export interface JobStatus {
  id: string;
  type: string;
  state: JobState;
  /** Runs started so far, this one included. */
  attempts: number;
  createdAt: Date;
  completedAt?: Date;
}
