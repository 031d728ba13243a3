// /api/admin/companies/:id/salesforce — a company's Salesforce connection (PUT sets, GET reads) and
// /api/admin/salesforce-connections — every connection's status. Secrets are sealed on the way in
// and never come back out: answers say only whether each is set.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { salesforceApiVersion, salesforceLoginUrl } from "../../config";
import { isMappableField } from "../../forwarders/salesforce-mapping";
import { secretBox } from "../../security/secret-box";
import { companyExists } from "../../storage/companies";
import {
	type ConnectionRow,
	companyScope,
	forwardCounts,
	forwardCountsByConnection,
	getConnection,
	listConnections,
	putCompanyConnection,
} from "../../storage/salesforce-connections";
import { forgetSession } from "../../storage/salesforce-sessions";
import { notFound } from "./http-errors";
import { idParam, validate } from "./validate";

const secret = z.string().trim().min(1).max(4096);
const salesforceField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "not a Salesforce field name");

const putBody = z.strictObject({
	login_url: salesforceLoginUrl,
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

const STATUS_NAMES = {
	ok: "ok",
	needs_reauth: "needs_reauthorisation",
	api_disabled: "api_disabled",
} as const;

function connectionJson(row: ConnectionRow) {
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

async function withCounts(c: { var: AppEnv["Variables"] }, row: ConnectionRow) {
	return { ...connectionJson(row), forwards: await forwardCounts(c.var.db, row) };
}

export const companySalesforceRoutes = new Hono<AppEnv>()
	.get("/", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const row = await getConnection(c.var.db, companyScope(id));
		if (!row)
			throw new HTTPException(404, { message: `company ${id} has no Salesforce connection` });
		return c.json(await withCounts(c, row));
	})
	.put("/", validate("param", idParam), validate("json", putBody), async (c) => {
		const { id } = c.req.valid("param");
		const body = c.req.valid("json");
		const { db, config } = c.var;
		if (!(await companyExists(db, id))) throw notFound("company", id);
		const existing = await getConnection(db, companyScope(id));
		const missing = (["consumer_key", "consumer_secret", "refresh_token"] as const).filter(
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
		const row = await putCompanyConnection(db, id, {
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
		// New secrets: a session cached for the old ones must not be used.
		await forgetSession(c.env.DEDUPE, row.id);
		return c.json(connectionJson(row), existing ? 200 : 201);
	});

const sealedColumn = {
	consumer_key: "consumerKeySealed",
	consumer_secret: "consumerSecretSealed",
	refresh_token: "refreshTokenSealed",
} as const;

export const salesforceConnectionRoutes = new Hono<AppEnv>().get("/", async (c) => {
	const [rows, counts] = await Promise.all([
		listConnections(c.var.db),
		forwardCountsByConnection(c.var.db),
	]);
	return c.json({
		data: rows.map((row) => ({ ...connectionJson(row), forwards: counts.get(row.id) ?? {} })),
	});
});
