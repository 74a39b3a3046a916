import { queueDepth } from "../../services/jobs/queue-depth.ts";
import { JobList, JobStatus, JobStatusInput, ListJobsInput, QueueDepth, QueueDepthInput } from "../../services/jobs/schemas.ts";
import { jobStatus, listJobs } from "../../services/jobs/status.ts";
import { router } from "../init.ts";
import { adminProcedure, tenantProcedure } from "../procedures.ts";

/** A business's background jobs: any member may see them, and only its own (another business's id is NOT_FOUND). */
export const jobsRouter = router({
  status: tenantProcedure.input(JobStatusInput).output(JobStatus).query(({ ctx, input }) => jobStatus(ctx.scope, input)),
  list: tenantProcedure.input(ListJobsInput).output(JobList).query(({ ctx, input }) => listJobs(ctx.scope, input)),
});

/** Super admins: the queues' depth per state, and per business. */
export const adminJobsRouter = router({
  depth: adminProcedure.input(QueueDepthInput).output(QueueDepth).query(({ ctx, input }) => queueDepth(ctx.scope, input)),
});
