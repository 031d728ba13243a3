// A company's Salesforce connection as the operator sets and checks it (API and console): secrets
// sealed on the way in and never read back out; "test now" runs the real token grant.
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { loopbackLoginUrl, salesforceApiVersion, salesforceLoginUrl } from "../config";
import { notFound } from "../errors";
import { connectionStateFor, openConnection } from "../forwarders/connection";
import { refreshSession } from "../forwarders/salesforce-auth";
import { isMappableField } from "../forwarders/salesforce-mapping";
import { secretBox } from "../security/secret-box";
import { companyExists } from "../storage/companies";
import { putDestination } from "../storage/destinations";
import { SALESFORCE_DESTINATION } from "../storage/forwards";
import {
	type ConnectionRow,
	companyScope,
	getConnection,
	putCompanyConnection,
	setConnectionState,
	storeRefreshToken,
} from "../storage/salesforce-connections";
import { forgetSession } from "../storage/salesforce-sessions";
import { checkLoginUrlAllowed } from "./actions";
import type { OperatorContext } from "./context";

const secret = z.string().trim().min(1).max(4096);
const salesforceField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "not a Salesforce field name");

/** PUT /api/admin/companies/:id/salesforce (and the console's connection form). */
export const connectionBody = z.strictObject({
	// A loopback http URL parses here and is refused later unless the deployment allows it.
	login_url: z.union([salesforceLoginUrl, loopbackLoginUrl], {
		error: "must be an https Salesforce login URL (login., test. or *.my.salesforce.com)",
	}),
	consumer_key: secret.optional(),
	consumer_secret: secret.optional(),
	refresh_token: secret.optional(),
	api_version: salesforceApiVersion.optional(),
	target_object: z.enum(["Lead", "Case"]).default("Lead"),
	field_mapping: z
		.record(
			salesforceField,
			z
				.string()
				.refine(isMappableField, "a lead field (full_name, email, phone, ...) or answer:<question>")
				.nullable(),
		)
		.nullable()
		.default(null),
	external_id_field: salesforceField.nullable().default(null),
	auto_assign: z
		.union([z.enum(["TRUE", "FALSE"]), z.string().regex(/^01Q[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/)])
		.nullable()
		.default(null),
	duplicate_allow_save: z.boolean().default(false),
});

export type ConnectionBody = z.infer<typeof connectionBody>;

const SECRET_FIELDS = ["consumer_key", "consumer_secret", "refresh_token"] as const;

const sealedColumn = {
	consumer_key: "consumerKeySealed",
	consumer_secret: "consumerSecretSealed",
	refresh_token: "refreshTokenSealed",
} as const;

/** Creates or replaces a company's connection; secrets left out keep their stored values. */
export async function saveConnection(
	ctx: OperatorContext,
	companyId: number,
	body: ConnectionBody,
): Promise<{ row: ConnectionRow; created: boolean }> {
	const { db, config } = ctx;
	if (!(await companyExists(db, companyId))) throw notFound("company", companyId);
	checkLoginUrlAllowed(ctx, body.login_url);
	const existing = await getConnection(db, companyScope(companyId));
	const missing = SECRET_FIELDS.filter(
		(key) => body[key] === undefined && !existing?.[sealedColumn[key]],
	);
	if (missing.length > 0) {
		throw new HTTPException(400, {
			message: "invalid request",
			cause: {
				issues: missing.map((key) => ({ path: [key], message: "required", code: "custom" })),
			},
		});
	}
	const box = secretBox(config.encryptionKey);
	const seal = (value: string | undefined) => (value === undefined ? undefined : box.seal(value));
	const [consumerKeySealed, consumerSecretSealed, refreshTokenSealed] = await Promise.all([
		seal(body.consumer_key),
		seal(body.consumer_secret),
		seal(body.refresh_token),
	]);
	const row = await putCompanyConnection(db, companyId, {
		loginUrl: body.login_url,
		apiVersion: body.api_version ?? config.salesforce.apiVersion,
		targetObject: body.target_object,
		fieldMapping: body.field_mapping ?? null,
		externalIdField: body.external_id_field,
		autoAssign: body.auto_assign,
		duplicateAllowSave: body.duplicate_allow_save,
		...(consumerKeySealed ? { consumerKeySealed } : {}),
		...(consumerSecretSealed ? { consumerSecretSealed } : {}),
		...(refreshTokenSealed ? { refreshTokenSealed } : {}),
	});
	// The company's Salesforce destination (listed and switched off beside its other destinations).
	await putDestination(db, companyId, SALESFORCE_DESTINATION, { settings: {} });
	// New secrets: a session cached for the old ones must not be used.
	await forgetSession(ctx.env.DEDUPE, row.id);
	return { row, created: existing === undefined };
}

export interface ConnectionTest {
	ok: boolean;
	/** Codes and statuses only: never a secret or a token. */
	message: string;
}

/**
 * Runs the refresh-token grant now (a fresh session, not the cached one). A refused grant marks the
 * connection as needing re-authorisation, as a failed send would.
 */
export async function testConnection(
	ctx: OperatorContext,
	companyId: number,
): Promise<ConnectionTest> {
	const row = await getConnection(ctx.db, companyScope(companyId));
	if (!row) {
		throw new HTTPException(404, {
			message: `company ${companyId} has no Salesforce connection`,
		});
	}
	const box = secretBox(ctx.config.encryptionKey);
	const open = await openConnection(row, ctx.config, box);
	if (!open) return { ok: false, message: "a consumer key, secret or refresh token is missing" };
	const session = await refreshSession(
		{
			fetch: (input, init) => fetch(input, init),
			kv: ctx.env.DEDUPE,
			box,
			onRotatedRefreshToken: async (token) =>
				storeRefreshToken(ctx.db, row.id, await box.seal(token)),
		},
		open.credentials,
	);
	if (session.ok) return { ok: true, message: `token grant succeeded in ${session.durationMs} ms` };
	const failure = session.failure;
	if (failure.kind === "connection") {
		await setConnectionState(ctx.db, row.id, connectionStateFor(failure.problem), failure.code);
		return { ok: false, message: `Salesforce refused the grant: ${failure.code}` };
	}
	const code = failure.kind === "all" && "code" in failure.result ? failure.result.code : "error";
	return { ok: false, message: `Salesforce could not be reached: ${code}` };
}
