/** The columns order outputs select, from their declared views (see db/pick.ts). */
import { pick } from "../../db/pick.ts";
import { orders } from "../../db/schema/index.ts";
import { OrderView } from "./schemas.ts";

export const ORDER_COLUMNS = pick(orders, OrderView);
