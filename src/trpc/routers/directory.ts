import { z } from "zod";
import { DirectorySearchInput, DirectoryView, ListingView, UpdateListingInput } from "../../services/directory/schemas.ts";
import { searchDirectory } from "../../services/directory/search.ts";
import { updateListing } from "../../services/directory/update.ts";
import { router } from "../init.ts";
import { ownerProcedure, publicProcedure } from "../procedures.ts";

export const directoryRouter = router({
  /** Anyone: published listings of open businesses. */
  search: publicProcedure
    .input(DirectorySearchInput)
    .output(z.array(ListingView))
    .query(({ ctx, input }) => ctx.platform((scope) => searchDirectory(scope, input), { readOnly: true })),
  /** The owner edits and publishes the business's listing. */
  update: ownerProcedure.input(UpdateListingInput).output(DirectoryView).mutation(({ ctx, input }) => updateListing(ctx.scope, input)),
});
