// Opens a stored Salesforce connection for sending: sealed secrets opened with ENCRYPTION_KEY (the
// default connection's come from config, with a rotated refresh token from its row).
import type { Config } from "../config";
import type { SecretBox } from "../security/secret-box";
import type { Db } from "../storage/db";
import {
	type ConnectionRow,
	companyScope,
	ensureDefaultConnection,
	getConnection,
	removeDefaultConnection,
} from "../storage/salesforce-connections";
import type { ConnectionState } from "../storage/schema";
import type { ConnectionProblem } from "./forwarder";
import type { SalesforceTarget } from "./salesforce";
import type { SalesforceCredentials } from "./salesforce-auth";
import type { FieldMapping } from "./salesforce-mapping";

export interface OpenConnection {
	row: ConnectionRow;
	credentials: SalesforceCredentials;
	target: SalesforceTarget;
	mapping: FieldMapping;
}

/** The row's secrets in clear; undefined when one is missing (e.g. a half-configured connection). */
export async function openConnection(
	row: ConnectionRow,
	config: Config,
	box: SecretBox,
): Promise<OpenConnection | undefined> {
	const secrets = await openSecrets(row, config, box);
	if (!secrets) return undefined;
	return {
		row,
		credentials: { connectionId: row.id, loginUrl: row.loginUrl, ...secrets },
		target: {
			apiVersion: row.apiVersion,
			targetObject: row.targetObject,
			externalIdField: row.externalIdField,
			autoAssign: row.autoAssign,
			duplicateAllowSave: row.duplicateAllowSave,
		},
		mapping: row.fieldMapping ?? {},
	};
}

async function openSecrets(row: ConnectionRow, config: Config, box: SecretBox) {
	const open = (sealed: string | null) => (sealed ? box.open(sealed) : Promise.resolve(undefined));
	if (row.companyId === null) {
		const fallback = config.salesforce.defaultConnection;
		if (!fallback) return undefined;
		const rotated = await open(row.refreshTokenSealed);
		return {
			consumerKey: fallback.consumerKey,
			consumerSecret: fallback.consumerSecret,
			refreshToken: rotated ?? fallback.refreshToken,
		};
	}
	const [consumerKey, consumerSecret, refreshToken] = await Promise.all([
		open(row.consumerKeySealed),
		open(row.consumerSecretSealed),
		open(row.refreshTokenSealed),
	]);
	if (!consumerKey || !consumerSecret || !refreshToken) return undefined;
	return { consumerKey, consumerSecret, refreshToken };
}

/**
 * Keeps the default connection's row in step with config: created (or reset, when the secrets
 * changed) while SALESFORCE_* secrets are set, removed when they are not. Returns the row.
 */
export async function syncDefaultConnection(
	db: Db,
	config: Config,
): Promise<ConnectionRow | undefined> {
	const fallback = config.salesforce.defaultConnection;
	if (!fallback) {
		await removeDefaultConnection(db);
		return undefined;
	}
	const fingerprint = await sha256Hex(
		JSON.stringify([
			fallback.loginUrl,
			fallback.consumerKey,
			fallback.consumerSecret,
			fallback.refreshToken,
		]),
	);
	return ensureDefaultConnection(
		db,
		{
			loginUrl: fallback.loginUrl,
			apiVersion: config.salesforce.apiVersion,
			targetObject: fallback.targetObject,
		},
		fingerprint,
	);
}

/** The connection that sends a company's forwards: its own, else the default one. */
export async function connectionForCompany(
	db: Db,
	config: Config,
	companyId: number,
): Promise<ConnectionRow | undefined> {
	const own = await getConnection(db, companyScope(companyId));
	if (own) return own;
	return config.salesforce.defaultConnection ? syncDefaultConnection(db, config) : undefined;
}

/** A Salesforce connection's state for a send's problem (Salesforce answers only these two). */
export function connectionStateFor(problem: ConnectionProblem): Exclude<ConnectionState, "ok"> {
	return problem === "api_disabled" ? "api_disabled" : "needs_reauth";
}

async function sha256Hex(text: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
