// /api/admin/integration-accounts — the (provider, external_id) → company mappings that route leads
// (e.g. a TikTok advertiser id). One account per provider and external id: a second one is a 409.
import { Hono } from "hono";
import { z } from "zod";
import { conflict, orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import {
	accountCreateBody,
	accountPatchBody,
	autoBackfillBody,
	providerSchema,
} from "../../http/schemas/integration-accounts";
import { idParam, idSchema, validate } from "../../http/validate";
import { addIntegrationAccount, editIntegrationAccount } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import { switchAutoBackfill } from "../../operator/monitor";
import { secretBox } from "../../security/secret-box";
import { getAutoBackfill } from "../../storage/backfill";
import {
	getAccount,
	type IntegrationAccount,
	listAccounts,
} from "../../storage/integration-accounts";
import { deleteAccountToken, setAccountToken } from "../../storage/meta-lead-fetches";

/** A Page (or other provider) access token; stored sealed, never returned by any endpoint. */
const tokenBody = z.strictObject({ access_token: z.string().trim().min(10).max(4096) });

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

export const integrationAccountRoutes = new Hono<AppEnv>()
	.post("/", validate("json", accountCreateBody), async (c) => {
		const body = c.req.valid("json");
		const account = await addIntegrationAccount(operatorContext(c), {
			companyId: body.company_id,
			provider: body.provider,
			name: body.name,
			externalId: body.external_id,
			isActive: body.is_active,
		});
		return c.json(accountJson(account), 201);
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
	.patch("/:id", validate("param", idParam), validate("json", accountPatchBody), async (c) => {
		const { id } = c.req.valid("param");
		const body = c.req.valid("json");
		const account = await editIntegrationAccount(operatorContext(c), id, {
			companyId: body.company_id,
			name: body.name,
			externalId: body.external_id,
			isActive: body.is_active,
		});
		return c.json(accountJson(account));
	})
	// The account's own access token (e.g. a Meta Page token): sealed with ENCRYPTION_KEY, never
	// echoed. Setting one re-queues the account's failed Graph reads (e.g. after a revoked token).
	.put("/:id/access-token", validate("param", idParam), validate("json", tokenBody), async (c) => {
		const { id } = c.req.valid("param");
		orNotFound(await getAccount(c.var.db, id), "integration account", id);
		if (!c.var.config.encryptionKey)
			throw conflict("ENCRYPTION_KEY is not set: tokens cannot be stored");
		const sealed = await secretBox(c.var.config.encryptionKey).seal(
			c.req.valid("json").access_token,
		);
		const requeued = await setAccountToken(c.var.db, id, sealed, new Date());
		c.var.log.info("access token set", {
			integrationAccountId: id,
			outcome: "success",
			count: requeued,
		});
		return c.json({
			integration_account_id: id,
			has_access_token: true,
			requeued_lead_reads: requeued,
		});
	})
	// The daily automatic backfill of the last 48 h (see README "Backfill"); only where leads can be
	// read again (Meta).
	.get("/:id/auto-backfill", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		orNotFound(await getAccount(c.var.db, id), "integration account", id);
		return c.json({ integration_account_id: id, enabled: await getAutoBackfill(c.var.db, id) });
	})
	.put(
		"/:id/auto-backfill",
		validate("param", idParam),
		validate("json", autoBackfillBody),
		async (c) => {
			const { id } = c.req.valid("param");
			const { enabled } = c.req.valid("json");
			await switchAutoBackfill(operatorContext(c), id, enabled);
			return c.json({ integration_account_id: id, enabled });
		},
	)
	.delete("/:id/access-token", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		orNotFound(await getAccount(c.var.db, id), "integration account", id);
		await deleteAccountToken(c.var.db, id);
		return c.json({ integration_account_id: id, has_access_token: false });
	});
