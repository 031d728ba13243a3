// /api/admin/companies — create, list, read and update companies. Thin: validate → storage → JSON.
import { Hono } from "hono";
import { z } from "zod";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { companyCreateBody, companyPatchBody } from "../../http/schemas/companies";
import { idParam, validate } from "../../http/validate";
import { companyWebhookUrls } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import {
	type Company,
	createCompany,
	getCompany,
	listCompanies,
	updateCompany,
} from "../../storage/companies";
import { getCompanyStats } from "../../storage/company-stats";

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_STATS_DAYS = 30;
const isoTime = z.iso.datetime({ offset: true }).transform((time) => new Date(time).toISOString());
const statsQuery = z.object({ since: isoTime.optional(), until: isoTime.optional() });

export function companyJson(company: Company) {
	return {
		id: company.id,
		name: company.name,
		auto_assign: company.autoAssign,
		default_country: company.defaultCountry,
		time_zone: company.timeZone,
		created_at: company.createdAt,
	};
}

export const companyRoutes = new Hono<AppEnv>()
	.post("/", validate("json", companyCreateBody), async (c) => {
		const body = c.req.valid("json");
		const company = await createCompany(c.var.db, {
			name: body.name,
			autoAssign: body.auto_assign,
			defaultCountry: body.default_country,
			timeZone: body.time_zone,
		});
		return c.json(companyJson(company), 201);
	})
	.get("/", async (c) => {
		const companies = await listCompanies(c.var.db);
		return c.json({ data: companies.map(companyJson) });
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(companyJson(orNotFound(await getCompany(c.var.db, id), "company", id)));
	})
	.get("/:id/stats", validate("param", idParam), validate("query", statsQuery), async (c) => {
		const { id } = c.req.valid("param");
		orNotFound(await getCompany(c.var.db, id), "company", id);
		const query = c.req.valid("query");
		const until = query.until ?? new Date().toISOString();
		const since =
			query.since ?? new Date(Date.parse(until) - DEFAULT_STATS_DAYS * DAY_MS).toISOString();
		const stats = await getCompanyStats(c.var.db, id, { since, until });
		return c.json({
			company_id: id,
			since,
			until,
			leads_by_source_per_day: stats.leadsBySourcePerDay,
			failures: stats.failures,
			duplicates: stats.duplicates,
			failures_by_action: stats.failuresByAction,
		});
	})
	.get("/:id/webhook-urls", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const { signed, urls } = await companyWebhookUrls(operatorContext(c), id);
		return c.json({ company_id: id, signed, urls });
	})
	.patch("/:id", validate("param", idParam), validate("json", companyPatchBody), async (c) => {
		const { id } = c.req.valid("param");
		const body = c.req.valid("json");
		const company = await updateCompany(c.var.db, id, {
			name: body.name,
			autoAssign: body.auto_assign,
			defaultCountry: body.default_country,
			timeZone: body.time_zone,
		});
		return c.json(companyJson(orNotFound(company, "company", id)));
	});
