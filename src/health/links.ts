// Where an operator sees each problem: operator API paths (the console shows the same queries), made
// absolute with PUBLIC_BASE_URL when it is set so a chat message can link to them.
export const HEALTH_PATH = "/api/admin/health";

export const links = {
	health: (kind?: string) => (kind ? `${HEALTH_PATH}?kind=${kind}` : HEALTH_PATH),
	salesforce: (companyId: number | null) =>
		companyId === null
			? "/api/admin/salesforce-connections"
			: `/api/admin/companies/${companyId}/salesforce`,
	destinations: (companyId: number) => `/api/admin/companies/${companyId}/destinations`,
	account: (accountId: number) => `/api/admin/integration-accounts/${accountId}`,
	accounts: (provider: string, companyId: number | null) =>
		`/api/admin/integration-accounts?provider=${provider}${companyId === null ? "" : `&company_id=${companyId}`}`,
	clients: (companyId: number, source: string) =>
		`/api/admin/clients?company_id=${companyId}&source=${encodeURIComponent(source)}`,
	failedLogs: (action: string) => `/api/admin/logs?status=failure&action=${action}`,
	unresolved: (group: { provider: string; cause: string; routingKey: string | null }) =>
		`/api/admin/unresolved?provider=${group.provider}&cause=${group.cause}${
			group.routingKey === null ? "" : `&routing_key=${encodeURIComponent(group.routingKey)}`
		}`,
	deadForwards: (companyId: number | null) =>
		`/api/admin/forwards?status=dead${companyId === null ? "" : `&company_id=${companyId}`}`,
	notificationChannels: (companyId: number) =>
		`/api/admin/companies/${companyId}/notification-channels`,
	backfills: (accountId: number) => `/api/admin/backfills?integration_account_id=${accountId}`,
};

export function absolute(path: string, publicBaseUrl: string | undefined): string {
	return publicBaseUrl ? `${publicBaseUrl}${path}` : path;
}
