// Sends claimed forwards of a company's destination other than Salesforce (webhook, HubSpot,
// Twenty...) through its kind's adapter, settles them, and moves the destination to waiting or off
// when the send says only an operator can go on (a refused credential, a webhook's 410).
import type { SecretBox } from "../security/secret-box";
import { type DestinationRow, setDestinationState } from "../storage/destinations";
import {
	type Claim,
	type ClaimedForward,
	claimDueForwards,
	forwardLogAction,
} from "../storage/forwards";
import type { OpenDestination } from "./destination";
import { openDestinationRow } from "./destination-kinds";
import type { SendResult } from "./forwarder";
import { type DeliverDeps, logSettlements, sendAndSettle } from "./send-batch";
import type { SettleContext } from "./settlement";

/** Opens a destination row for sending; logs and answers undefined when it cannot be used as stored. */
export async function openForSending(
	deps: DeliverDeps,
	box: SecretBox,
	row: DestinationRow,
): Promise<OpenDestination | undefined> {
	if (row.state !== "on") return undefined;
	const opened = await openDestinationRow(row, deps, box);
	if (opened.ok) return opened.destination;
	deps.log.error("destination cannot be opened; its forwards wait", {
		action: forwardLogAction(row.kind),
		reason: `destination ${row.id}: ${opened.code}`,
		companyId: row.companyId,
	});
	return undefined;
}

/** Sends one batch (≤ maxBatch) of a destination's claimed forwards and settles them. */
export async function sendDestinationBatch(
	deps: DeliverDeps,
	row: DestinationRow,
	destination: OpenDestination,
	claimed: ClaimedForward[],
	claim: Claim,
	trigger: SettleContext["trigger"],
): Promise<SendResult> {
	const { result, settlements } = await sendAndSettle(deps, destination, claimed, claim, trigger);
	if (result.kind === "connection") {
		const state = result.problem === "switched_off" ? "off" : "waiting";
		await setDestinationState(deps.db, row.id, state, result.code, { onlyFromOn: true });
		row.state = state;
		deps.log.error(`destination ${state}: ${result.problem}`, {
			action: forwardLogAction(row.kind),
			outcome: result.problem,
			reason: result.code,
			companyId: row.companyId,
		});
	}
	logSettlements(deps.log, settlements, result, `destination ${row.id}`, row.kind);
	return result;
}

/** The cron's run for one destination: up to `calls` batches of its due forwards. */
export async function drainDestination(
	deps: DeliverDeps,
	box: SecretBox,
	row: DestinationRow,
	newClaim: () => Claim,
	calls: number,
	trigger: SettleContext["trigger"] = "cron",
): Promise<void> {
	const destination = await openForSending(deps, box, row);
	if (!destination) return;
	for (let call = 0; call < calls; call++) {
		const claim = newClaim();
		const claimed = await claimDueForwards(
			deps.db,
			{ companyId: row.companyId },
			claim,
			destination.maxBatch,
			row.kind,
		);
		if (claimed.length === 0) return;
		const result = await sendDestinationBatch(deps, row, destination, claimed, claim, trigger);
		// A whole-call failure would fail the next batch the same way; the backoff says when to retry.
		if (result.kind !== "results") return;
	}
}
