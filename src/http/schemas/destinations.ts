// A destination as JSON (secrets only ever as 'are they set'; a Salesforce destination's live on its
// connection), shared by the operator API (routes/admin/destinations.ts) and the console's card.
import type { DestinationRow } from "../../storage/destinations";
import { SALESFORCE_DESTINATION } from "../../storage/forwards";

export function destinationJson(row: DestinationRow, forwards: Record<string, number> = {}) {
	return {
		id: row.id,
		company_id: row.companyId,
		kind: row.kind,
		state: row.state,
		state_reason: row.stateReason,
		state_changed_at: row.stateChangedAt,
		settings: row.settings,
		secrets_set: row.kind === SALESFORCE_DESTINATION || row.secretsSealed !== null,
		forwards,
		created_at: row.createdAt,
		updated_at: row.updatedAt,
	};
}
