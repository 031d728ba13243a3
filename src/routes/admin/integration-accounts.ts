// /api/admin/integration-accounts — the (provider, external_id) → company mappings that route leads
// (e.g. a TikTok advertiser id). One account per provider and external id: a second one is a 409.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { companyExists } from "../../storage/companies";
import {
	type AccountWrite,
	createAccount,
	getAccount,
	type IntegrationAccount,
	listAccounts,
	updateAccount,
} from "../../storage/integration-accounts";
import { conflict, notFound, orNotFound, unknownCompany } from "./http-errors";
import { bodyIdSchema, idParam, idSchema, patchSchema, validate } from "./validate";

const providerSchema = z
	.string()
	.regex(/^[a-z][a-z0-9_-]{0,31}$/, "a lowercase provider key, e.g. tiktok");

/** A string only: a 19-digit TikTok advertiser id sent as a JSON number is already rounded. */
const externalIdSchema = z
	.string({ error: "must be a string; quote ids so 19-digit numbers are not rounded" })
	.trim()
	.min(1)
	.max(128);

const fields = {
	company_id: bodyIdSchema,
	name: z.string().trim().min(1).max(200),
	external_id: externalIdSchema,
	is_active: z.boolean(),
};

const createBody = z.strictObject({
	company_id: fields.company_id,
	provider: providerSchema,
	name: fields.name,
	external_id: fields.external_id,
	is_active: fields.is_active.optional(),
});

const patchBody = patchSchema(fields);

const listQuery = z.object({
	company_id: idSchema.optional(),
	provider: providerSchema.optional(),
});

export function accountJson(account: IntegrationAccount) {
	return {
		id: account.id,
		company_id: account.companyId,
		provider: account.provider,
		name: account.name,
		external_id: account.externalId,
		is_active: account.isActive,
		created_at: account.createdAt,
	};
}

/** The saved account, or the 404/409 the write ran into. */
function savedAccount(write: AccountWrite, id: number | null): IntegrationAccount {
	switch (write.outcome) {
		case "saved":
			return write.account;
		case "duplicate": {
			const owner = write.existingId === null ? "another account" : `account ${write.existingId}`;
			throw conflict(
				`${write.provider} external_id ${write.externalId} is already mapped by integration ${owner}`,
			);
		}
		case "not_found":
			throw notFound("integration account", id ?? 0);
	}
}

export const integrationAccountRoutes = new Hono<AppEnv>()
	.post("/", validate("json", createBody), async (c) => {
		const body = c.req.valid("json");
		if (!(await companyExists(c.var.db, body.company_id))) throw unknownCompany(body.company_id);
		const write = await createAccount(c.var.db, {
			companyId: body.company_id,
			provider: body.provider,
			name: body.name,
			externalId: body.external_id,
			isActive: body.is_active,
		});
		return c.json(accountJson(savedAccount(write, null)), 201);
	})
	.get("/", validate("query", listQuery), async (c) => {
		const { company_id, provider } = c.req.valid("query");
		const accounts = await listAccounts(c.var.db, { companyId: company_id, provider });
		return c.json({ data: accounts.map(accountJson) });
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const account = await getAccount(c.var.db, id);
		return c.json(accountJson(orNotFound(account, "integration account", id)));
	})
	.patch("/:id", validate("param", idParam), validate("json", patchBody), async (c) => {
		const { id } = c.req.valid("param");
		const body = c.req.valid("json");
		if (body.company_id !== undefined && !(await companyExists(c.var.db, body.company_id))) {
			throw unknownCompany(body.company_id);
		}
		const write = await updateAccount(c.var.db, id, {
			companyId: body.company_id,
			name: body.name,
			externalId: body.external_id,
			isActive: body.is_active,
		});
		return c.json(accountJson(savedAccount(write, id)));
	});
