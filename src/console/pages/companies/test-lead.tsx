// "Send a test lead": the button under the webhook URLs and the POST that sends a signed sample
// TikTok lead through the real webhook, then opens the lead (or says why it was not stored).
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { operatorContext } from "../../../operator/context";
import { type Dispatch, sendTestLead } from "../../../operator/test-lead";
import { type ConsoleEnv, done } from "../../console-env";
import { actionErrors } from "../../forms";
import { Csrf } from "../../layout";
import { companyId } from "./company-route";

export const TestLeadButton: FC<{ id: number; csrf: string }> = ({ id, csrf }) => (
	<form method="post" action={`/console/companies/${id}/test-lead`} class="actions">
		<Csrf token={csrf} />
		<button type="submit">Send a test lead</button>
		<span class="muted">
			A signed sample TikTok lead through the TikTok URL above, marked "Test": it gets no rep and is
			not counted.
		</span>
	</form>
);

export function testLeadRoutes(dispatch: Dispatch) {
	return new Hono<ConsoleEnv>().post("/:id/test-lead", async (c) => {
		const id = companyId(c);
		try {
			const result = await sendTestLead(operatorContext(c), dispatch, c.executionCtx, id);
			if (result.clientId !== null) {
				return done(
					c,
					`/console/leads/${result.clientId}`,
					`Test lead ${result.leadId} arrived through the TikTok webhook (HTTP ${result.status}).`,
				);
			}
			return done(
				c,
				`/console/companies/${id}`,
				`Test lead not stored: HTTP ${result.status}, ${result.failed} failed. See Receipts.`,
				"error",
			);
		} catch (error) {
			return done(c, `/console/companies/${id}`, actionErrors(error)._form ?? "Not sent", "error");
		}
	});
}
