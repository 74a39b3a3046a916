import { DirectorySearchInput, searchDirectory } from "../../services/directory/search.ts";
import { UpdateListingInput, updateListing } from "../../services/directory/update.ts";
import { router } from "../init.ts";
import { ownerProcedure, publicProcedure } from "../procedures.ts";

export const directoryRouter = router({
  /** Anyone: published listings of open businesses. */
  search: publicProcedure.input(DirectorySearchInput).query(({ ctx, input }) => ctx.platform((scope) => searchDirectory(scope, input), { readOnly: true })),
  /** The owner edits and publishes the business's listing. */
  update: ownerProcedure.input(UpdateListingInput).mutation(({ ctx, input }) => updateListing(ctx.scope, input)),
});
