// A Salesforce connection as JSON (secrets only ever as 'is it set'), shared by the operator API
// (routes/admin/salesforce.ts) and the console's connection section.
import type { ConnectionRow } from "../../storage/salesforce-connections";

const STATUS_NAMES = {
	ok: "ok",
	needs_reauth: "needs_reauthorisation",
	api_disabled: "api_disabled",
} as const;

export function connectionJson(row: ConnectionRow) {
	return {
		id: row.id,
		company_id: row.companyId,
		source: row.companyId === null ? "secrets" : "api",
		status: STATUS_NAMES[row.state],
		status_reason: row.stateReason,
		status_changed_at: row.stateChangedAt,
		login_url: row.loginUrl,
		api_version: row.apiVersion,
		target_object: row.targetObject,
		field_mapping: row.fieldMapping,
		external_id_field: row.externalIdField,
		auto_assign: row.autoAssign,
		duplicate_allow_save: row.duplicateAllowSave,
		consumer_key_set: row.companyId === null || row.consumerKeySealed !== null,
		consumer_secret_set: row.companyId === null || row.consumerSecretSealed !== null,
		refresh_token_set: row.companyId === null || row.refreshTokenSealed !== null,
		api_usage:
			row.apiUsed !== null && row.apiMax !== null ? { used: row.apiUsed, max: row.apiMax } : null,
		updated_at: row.updatedAt,
	};
}
