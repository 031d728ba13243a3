// OAuth refresh-token grant against the connection's login URL (providers.md §6.1), with the access
// token cached in KV (sealed) and a rotated refresh token handed back to be persisted.
import type { SecretBox } from "../security/secret-box";
import {
	forgetSession,
	readSealedSession,
	writeSealedSession,
} from "../storage/salesforce-sessions";
import type { Fetch } from "../timed-call";
import { timedCall } from "../timed-call";
import type { SendResult } from "./forwarder";
import { connectionProblem, isObject } from "./salesforce-errors";

export interface SalesforceCredentials {
	connectionId: number;
	loginUrl: string;
	consumerKey: string;
	consumerSecret: string;
	refreshToken: string;
}

export interface Session {
	accessToken: string;
	instanceUrl: string;
}

export interface AuthDeps {
	fetch: Fetch;
	kv: KVNamespace;
	box: SecretBox;
	/** Persists a rotated refresh token (the previous one no longer works). */
	onRotatedRefreshToken: (refreshToken: string) => Promise<void>;
	/**
	 * The refresh token stored now. With rotation, a concurrent sender may have rotated the token this
	 * one holds; its grant then fails with invalid_grant although the connection is fine.
	 */
	storedRefreshToken?: () => Promise<string | undefined>;
}

/** A session, or why there is none, shaped as the whole send's result. */
export type SessionResult =
	| { ok: true; session: Session; durationMs: number }
	| { ok: false; failure: SendResult };

/** The cached session, else a fresh one from the token endpoint. */
export async function getSession(
	deps: AuthDeps,
	credentials: SalesforceCredentials,
): Promise<SessionResult> {
	const cached = await readCachedSession(deps, credentials.connectionId);
	if (cached) return { ok: true, session: cached, durationMs: 0 };
	return refreshSession(deps, credentials);
}

/** Runs the refresh-token grant, caches the session and persists a rotated refresh token. */
export async function refreshSession(
	deps: AuthDeps,
	credentials: SalesforceCredentials,
	retried = false,
): Promise<SessionResult> {
	const body = new URLSearchParams({
		grant_type: "refresh_token",
		refresh_token: credentials.refreshToken,
		client_id: credentials.consumerKey,
		client_secret: credentials.consumerSecret,
	});
	const call = await timedCall(deps.fetch, `${credentials.loginUrl}/services/oauth2/token`, {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
		body: body.toString(),
	});
	const { durationMs } = call;
	if (!call.ok) {
		const failure: SendResult = {
			kind: "all",
			result: { kind: "transient", code: call.code },
			httpStatus: null,
			durationMs,
		};
		return { ok: false, failure };
	}
	const { response } = call;
	const parsed = await readJson(response);
	const httpStatus = response.status;
	if (response.ok && isObject(parsed) && typeof parsed.access_token === "string") {
		const session = toSession(parsed, credentials.loginUrl);
		if (
			typeof parsed.refresh_token === "string" &&
			parsed.refresh_token !== credentials.refreshToken
		) {
			await deps.onRotatedRefreshToken(parsed.refresh_token);
			credentials.refreshToken = parsed.refresh_token;
		}
		await cacheSession(deps, credentials.connectionId, session);
		return { ok: true, session, durationMs };
	}
	const error = isObject(parsed) && typeof parsed.error === "string" ? parsed.error : undefined;
	if (httpStatus >= 400 && httpStatus < 500 && !retried && deps.storedRefreshToken) {
		const stored = await deps.storedRefreshToken();
		if (stored && stored !== credentials.refreshToken) {
			credentials.refreshToken = stored;
			return refreshSession(deps, credentials, true);
		}
	}
	if (httpStatus >= 400 && httpStatus < 500) {
		// invalid_grant, invalid_client...: the token or app was revoked; only re-authorising helps (§6.1).
		const code = error ?? `HTTP_${httpStatus}`;
		const problem = connectionProblem(code) ?? "needs_reauth";
		return { ok: false, failure: { kind: "connection", problem, code, httpStatus, durationMs } };
	}
	const code = response.headers.get("Content-Type")?.includes("text/html")
		? "HTML_ERROR_PAGE"
		: `HTTP_${httpStatus}`;
	return {
		ok: false,
		failure: { kind: "all", result: { kind: "transient", code }, httpStatus, durationMs },
	};
}

/** Forgets a session Salesforce refused (401 INVALID_SESSION_ID). */
export async function dropSession(deps: AuthDeps, connectionId: number): Promise<void> {
	await forgetSession(deps.kv, connectionId);
}

function toSession(parsed: Record<string, unknown>, loginUrl: string): Session {
	const instanceUrl = typeof parsed.instance_url === "string" ? parsed.instance_url : loginUrl;
	return { accessToken: String(parsed.access_token), instanceUrl: instanceUrl.replace(/\/+$/, "") };
}

async function readCachedSession(
	deps: AuthDeps,
	connectionId: number,
): Promise<Session | undefined> {
	const sealed = await readSealedSession(deps.kv, connectionId);
	if (!sealed) return undefined;
	try {
		const parsed: unknown = JSON.parse(await deps.box.open(sealed));
		if (
			isObject(parsed) &&
			typeof parsed.accessToken === "string" &&
			typeof parsed.instanceUrl === "string"
		) {
			return { accessToken: parsed.accessToken, instanceUrl: parsed.instanceUrl };
		}
	} catch {
		// Sealed with another key or damaged: a fresh grant replaces it.
	}
	return undefined;
}

async function cacheSession(deps: AuthDeps, connectionId: number, session: Session): Promise<void> {
	const sealed = await deps.box.seal(JSON.stringify(session));
	await writeSealedSession(deps.kv, connectionId, sealed);
}

async function readJson(response: Response): Promise<unknown> {
	try {
		return JSON.parse(await response.text());
	} catch {
		return undefined;
	}
}
