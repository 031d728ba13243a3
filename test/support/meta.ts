// Meta test helpers: leadgen webhooks as Meta sends them, Page accounts with tokens set through the
// operator API, the cron run at a chosen time, and the rows an operator would look at.
import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { admin } from "./requests";

export interface LeadgenSpec {
	leadgenId: string;
	pageId: string;
	formId?: string;
}

/** One `object: page` delivery with an entry per Page, each holding its leads' leadgen changes. */
export function leadgenWebhook(leads: LeadgenSpec[]): string {
	const pages = Map.groupBy(leads, (lead) => lead.pageId);
	const entry = [...pages].map(([pageId, pageLeads]) => ({
		id: pageId,
		time: 1793600123,
		changes: pageLeads.map((lead) => ({
			field: "leadgen",
			value: {
				ad_id: "120212345678901234",
				form_id: lead.formId ?? "987654321098765",
				leadgen_id: lead.leadgenId,
				created_time: 1793600120,
				page_id: pageId,
				adgroup_id: "120212345678901234",
			},
		})),
	}));
	return JSON.stringify({ entry, object: "page" });
}

let leadSequence = 0;

/** A fresh 16-digit leadgen id. */
export function newLeadgenId(): string {
	leadSequence += 1;
	return String(1023456789100000 + leadSequence);
}

/** A Meta Page account of the company, with its own access token set through the operator API. */
export async function seedPage(companyId: number, pageId: string, token?: string): Promise<number> {
	const created = await admin("/integration-accounts", {
		method: "POST",
		body: { company_id: companyId, provider: "meta", name: `Page ${pageId}`, external_id: pageId },
	});
	if (created.status !== 201) throw new Error(`account not created: ${created.status}`);
	const { id } = await created.json<{ id: number }>();
	if (token !== undefined) {
		const set = await admin(`/integration-accounts/${id}/access-token`, {
			method: "PUT",
			body: { access_token: token },
		});
		if (set.status !== 200) throw new Error(`token not set: ${set.status}`);
	}
	return id;
}

/** Runs the Cron Trigger as if at `at` (every job, waitUntil work awaited). */
export async function runCron(at: Date, overrides: Partial<Env> = {}): Promise<void> {
	const controller = createScheduledController({
		scheduledTime: at.getTime(),
		cron: "*/5 * * * *",
	});
	const ctx = createExecutionContext();
	await worker.scheduled(controller, { ...env, ...overrides }, ctx);
	await waitOnExecutionContext(ctx);
}

export interface FetchView {
	id: number;
	company_id: number;
	integration_account_id: number;
	leadgen_id: string;
	page_id: string;
	form_id: string | null;
	status: string;
	attempts: number;
	next_attempt_at: string;
	last_error: string | null;
	client_id: number | null;
	payload: string;
}

export async function fetchRows(leadgenId?: string): Promise<FetchView[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM meta_lead_fetches WHERE (?1 IS NULL OR leadgen_id = ?1) ORDER BY id",
	)
		.bind(leadgenId ?? null)
		.all<FetchView>();
	return results;
}

/** Every text column of every row of `table`, joined: to prove a secret is stored nowhere in clear. */
export async function tableText(table: string): Promise<string> {
	const { results } = await env.DB.prepare(`SELECT * FROM ${table}`).all();
	return JSON.stringify(results);
}
