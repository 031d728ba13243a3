// One HubSpot API session for a send or a check: authorised JSON calls to api.hubapi.com that tally
// what the forward records (last status, time spent, the daily usage headers).
import { timedCall } from "../timed-call";
import { bearerJson, parseJson } from "./bearer-json";
import type { DestinationDeps } from "./destination";
import type { ApiUsage } from "./forwarder";
import { type HubSpotError, readHubSpotError } from "./hubspot-errors";

export const HUBSPOT_API = "https://api.hubapi.com";

export type HubSpotAnswer =
	| { ok: true; status: number; headers: Headers; body: unknown }
	| { ok: false; error: HubSpotError; headers: Headers }
	| { ok: false; network: "TIMEOUT" | "NETWORK_ERROR" };

export interface HubSpotTally {
	httpStatus: number | null;
	durationMs: number;
	usage?: ApiUsage;
}

export interface HubSpotApi {
	readonly tally: HubSpotTally;
	call(method: "GET" | "POST", path: string, body?: unknown): Promise<HubSpotAnswer>;
}

export function hubspotApi(deps: DestinationDeps, accessToken: string): HubSpotApi {
	const tally: HubSpotTally = { httpStatus: null, durationMs: 0 };
	return {
		tally,
		async call(method, path, body) {
			const outcome = await timedCall(
				deps.fetch,
				`${HUBSPOT_API}${path}`,
				bearerJson(method, accessToken, body),
			);
			tally.durationMs += outcome.durationMs;
			if (!outcome.ok) {
				tally.httpStatus = null;
				return { ok: false, network: outcome.code };
			}
			const { response } = outcome;
			tally.httpStatus = response.status;
			tally.usage = readDailyUsage(response.headers) ?? tally.usage;
			const text = await response.text();
			if (!response.ok) {
				return {
					ok: false,
					error: readHubSpotError(response.status, text),
					headers: response.headers,
				};
			}
			return {
				ok: true,
				status: response.status,
				headers: response.headers,
				body: parseJson(text),
			};
		},
	};
}

/** X-HubSpot-RateLimit-Daily and -Daily-Remaining (private apps have a daily limit; OAuth apps do not). */
function readDailyUsage(headers: Headers): ApiUsage | undefined {
	const max = Number(headers.get("X-HubSpot-RateLimit-Daily"));
	const remaining = Number(headers.get("X-HubSpot-RateLimit-Daily-Remaining"));
	if (
		!headers.has("X-HubSpot-RateLimit-Daily") ||
		!Number.isFinite(max) ||
		!Number.isFinite(remaining)
	)
		return undefined;
	return { used: Math.max(0, max - remaining), max };
}
