// Salesforce connection checks: for each stored connection (and the default one from secrets), run
// the refresh-token grant and read GET /services/data/vXX.X/limits, then let checkSalesforce judge.
import { openConnection, syncDefaultConnection } from "../forwarders/connection";
import { refreshSession } from "../forwarders/salesforce-auth";
import { connectionAuth } from "../forwarders/send-batch";
import { secretBox } from "../security/secret-box";
import { type ConnectionRow, listConnections } from "../storage/salesforce-connections";
import { timedCall } from "../timed-call";
import { type CheckOutcome, type CheckResult, failing } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";
import { checkSalesforce, type GrantAnswer, type LimitsAnswer } from "./salesforce-check";

export async function salesforceChecks(deps: HealthDeps): Promise<CheckOutcome[]> {
	if (deps.config.salesforce.defaultConnection) await syncDefaultConnection(deps.db, deps.config);
	const rows = await listConnections(deps.db);
	const outcomes: CheckOutcome[] = [];
	for (const row of rows) {
		outcomes.push({
			key: `salesforce:${row.scope}`,
			kind: "salesforce",
			companyId: row.companyId,
			subject:
				row.companyId === null
					? "Default Salesforce connection"
					: `Salesforce connection of company ${row.companyId}`,
			link: links.salesforce(row.companyId),
			...(await checkConnection(deps, row)),
		});
	}
	return outcomes;
}

async function checkConnection(deps: HealthDeps, row: ConnectionRow): Promise<CheckResult> {
	const box = secretBox(deps.config.encryptionKey);
	const open = await openConnection(row, deps.config, box).catch(() => undefined);
	if (!open) {
		return failing(
			"its secrets are missing or cannot be opened with ENCRYPTION_KEY: save it again",
		);
	}
	const session = await refreshSession(connectionAuth(deps, box, row.id), open.credentials);
	if (!session.ok) {
		const failure = session.failure;
		const grant: GrantAnswer =
			failure.kind === "connection"
				? { ok: false, kind: "rejected", code: failure.code }
				: {
						ok: false,
						kind: "unreachable",
						code:
							failure.kind === "all" && "code" in failure.result ? failure.result.code : "UNKNOWN",
					};
		return checkSalesforce(grant);
	}
	const { instanceUrl, accessToken } = session.session;
	const call = await timedCall(
		deps.fetch,
		`${instanceUrl}/services/data/${row.apiVersion}/limits`,
		{
			method: "GET",
			headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
		},
	);
	const limits: LimitsAnswer | undefined = call.ok
		? { status: call.response.status, body: await call.response.json().catch(() => undefined) }
		: undefined;
	return checkSalesforce({ ok: true }, limits);
}
