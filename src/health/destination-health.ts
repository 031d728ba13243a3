// Destination checks beside Salesforce's: each company's webhook (HubSpot, Twenty...) destination
// through its kind's check() (credential valid, API reachable, rate limit left). A destination an
// operator or a 410 switched off is a warning; one waiting for an operator is failing.
import type { DestinationCheck } from "../forwarders/destination";
import { destinationLabel } from "../forwarders/destination";
import { openDestinationRow } from "../forwarders/destination-kinds";
import { secretBox } from "../security/secret-box";
import { type DestinationRow, listOtherDestinations } from "../storage/destinations";
import { type CheckOutcome, type CheckResult, failing, ok, warning } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";

export async function destinationChecks(deps: HealthDeps): Promise<CheckOutcome[]> {
	const outcomes: CheckOutcome[] = [];
	for (const row of await listOtherDestinations(deps.db)) {
		outcomes.push({
			key: `destination:${row.kind}:${row.companyId}`,
			kind: "destination",
			companyId: row.companyId,
			subject: `${destinationLabel(row.kind)} destination of company ${row.companyId}`,
			link: links.destinations(row.companyId),
			...(await checkDestination(deps, row)),
		});
	}
	return outcomes;
}

async function checkDestination(deps: HealthDeps, row: DestinationRow): Promise<CheckResult> {
	if (row.state === "off") return warning(`switched off (${row.stateReason ?? "by an operator"})`);
	if (row.state === "waiting") {
		return failing(`waiting for an operator (${row.stateReason ?? "unknown"}): save it again`);
	}
	const opened = await openDestinationRow(row, deps, secretBox(deps.config.encryptionKey)).catch(
		() => ({ ok: false as const, code: "SECRETS_UNREADABLE" }),
	);
	if (!opened.ok) return failing(`cannot be opened (${opened.code}): save it again`);
	return judge(await opened.destination.check());
}

function judge(check: DestinationCheck): CheckResult {
	if (!check.ok) return failing(`${check.code}: ${check.detail}`);
	const left = check.rateLimitLeft === undefined ? "" : `, ${check.rateLimitLeft} calls left`;
	return ok(`${check.detail}${left}`);
}
